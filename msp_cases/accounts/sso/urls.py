from django.urls import path

from . import views

app_name = "sso"

urlpatterns = [
    path("sign-in/sso/", views.SingleSignOnStart.as_view(), name="start"),
    path("sign-in/sso/callback/", views.callback, name="callback"),
    path("sign-out/done/", views.signed_out, name="signed_out"),
    path("sign-out/provider/", views.provider_sign_out, name="provider_sign_out"),
    path("sign-out/provider/done/", views.provider_signed_out, name="provider_signed_out"),
]
