from django.urls import path

from . import views

app_name = "documents"

# "Add a document" on each kind of record: documents:add_people, add_concerns, add_enquiries,
# add_conversations, add_meetings (views.RECORDS).
urlpatterns = (
    [
        path(f"{kind}/<int:pk>/documents/new/", views.document_add, {"record_kind": kind}, name=f"add_{kind}")
        for kind in views.RECORDS
    ]
    + [
        # The multi-file upload's files, held until the form is sent (held.py): documents:held_add_<kind>.
        path(f"{kind}/<int:pk>/documents/new/{route}", view, {"record_kind": kind}, name=f"{name}_{kind}")
        for kind in views.RECORDS
        for route, view, name in (
            ("files/", views.held_file_add, "held_add"),
            ("files/discard/", views.held_file_discard, "held_discard"),
        )
    ]
    + [
        path("documents/<int:pk>/", views.document_detail, name="detail"),
        path("documents/<int:pk>/view/", views.document_view, name="view"),
        path("documents/<int:pk>/download/", views.document_download, name="download"),
        # Not "remove": nothing is deleted (tests/test_history.py); the document is marked as added in error.
        path("documents/<int:pk>/added-in-error/", views.document_remove, name="added_in_error"),
    ]
)
