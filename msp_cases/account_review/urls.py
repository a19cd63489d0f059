from django.urls import path

from . import views

app_name = "account_review"

urlpatterns = [
    path("", views.account_list, name="account_list"),
    path("<int:pk>/", views.account_detail, name="account_detail"),
]
