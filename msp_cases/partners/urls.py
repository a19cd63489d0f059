from django.urls import path

from . import views

app_name = "partners"

urlpatterns = [
    path("api-clients/", views.client_list, name="list"),
    path("api-clients/new/", views.client_add, name="add"),
    path("api-clients/<int:pk>/", views.client_detail, name="detail"),
    path("api-clients/<int:pk>/switch-off/", views.client_deactivate, name="deactivate"),
    path("api-clients/<int:pk>/webhooks/new/", views.subscription_add, name="subscription_add"),
    path(
        "api-clients/<int:pk>/webhooks/<int:subscription_pk>/switch-off/",
        views.subscription_deactivate,
        name="subscription_deactivate",
    ),
]
