from django.urls import path

from . import views

app_name = "drafts"
urlpatterns = [
    path("save/", views.save, name="save"),
    path("discard/", views.discard, name="discard"),
]
