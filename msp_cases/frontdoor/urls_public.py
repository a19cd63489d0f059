"""The public "Report a concern" journey, mounted at /report-a-concern/ (msp_cases/urls.py)."""

from django.urls import path

from .views import public as views

app_name = "frontdoor_public"

urlpatterns = [
    path("", views.start, name="start"),
    path("call-999/", views.call_999, name="call_999"),
    path("check-your-answers/", views.check_answers, name="check_answers"),
    path("photos-and-documents/", views.documents, name="documents"),
    path("sent/", views.sent, name="sent"),
    path("session-ended/", views.session_ended, name="session_ended"),
    path("save/", views.save, name="save"),
    path("saved/", views.saved, name="saved"),
    path("return/", views.come_back, name="return"),
    path("return/code/", views.come_back_code, name="return_code"),
    path("outcome/", views.outcome, name="outcome"),
    path("outcome/code/", views.outcome_code, name="outcome_code"),
    path("<slug:slug>/", views.question, name="question"),
]
