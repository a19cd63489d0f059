from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from . import views
from .passwords import SetOwnPasswordForm
from .sessions import views as sessions

app_name = "accounts"

urlpatterns = [
    path("accounts/role-changes/", views.role_changes, name="role_changes"),
    path("accounts/sessions/", sessions.your_sessions, name="sessions"),
    path("accounts/sessions/<int:pk>/end/", sessions.session_end_view, name="session_end"),
    path("accounts/sessions/end-others/", sessions.sessions_end_others, name="sessions_end_others"),
    path(
        "password-reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            form_class=SetOwnPasswordForm,
            template_name="accounts/password_reset_confirm.html",
            success_url=reverse_lazy("accounts:password_reset_complete"),
        ),
        name="password_reset_confirm",
    ),
    path(
        "password-reset/done/",
        auth_views.PasswordResetCompleteView.as_view(template_name="accounts/password_reset_complete.html"),
        name="password_reset_complete",
    ),
]
