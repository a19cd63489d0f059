from django.urls import path

from . import views

app_name = "exports"
urlpatterns = [
    path("", views.export_list, name="list"),
    path("request/", views.export_request, name="request"),
    path("<uuid:pk>/", views.export_detail, name="detail"),
    path("<uuid:pk>/status/", views.export_status, name="status"),
    path("<uuid:pk>/download/", views.export_download, name="download"),
    path("<uuid:pk>/try-again/", views.export_retry, name="retry"),
]
