from django.urls import path, re_path

from . import views

app_name = "documents"

urlpatterns = [
    re_path(
        r"^(?P<record_kind>people|concerns|enquiries|conversations|meetings)/(?P<pk>[0-9]{1,18})/documents/new/$",
        views.document_add,
        name="add",
    ),
    path("documents/<int:pk>/", views.document_detail, name="detail"),
    path("documents/<int:pk>/view/", views.document_view, name="view"),
    path("documents/<int:pk>/download/", views.document_download, name="download"),
    path("documents/<int:pk>/remove/", views.document_remove, name="remove"),
]
