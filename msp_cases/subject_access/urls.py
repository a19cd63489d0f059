from django.urls import path

from . import views

app_name = "subject_access"
urlpatterns = [
    path("people/<int:pk>/subject-access-request/", views.subject_access_request_new, name="new"),
]
