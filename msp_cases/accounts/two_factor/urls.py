from django.urls import path

from . import views

app_name = "two_factor"

urlpatterns = [
    path("two-factor/", views.verify, name="verify"),
    path("two-factor/recovery-code/", views.recovery, name="recovery"),
    path("two-factor/set-up/", views.setup, name="setup"),
    path("two-factor/recovery-codes/", views.recovery_codes, name="recovery_codes"),
    path("two-factor/reset/", views.reset, name="reset"),
    path("account/two-factor/", views.account, name="account"),
]
