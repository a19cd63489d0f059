from .views import caseload, concerns, conversations, dashboard, drift, enquiry, people

app_name = "enquiries"

urlpatterns = [
    *caseload.urlpatterns,
    *people.urlpatterns,
    *concerns.urlpatterns,
    *enquiry.urlpatterns,
    *drift.urlpatterns,
    *conversations.urlpatterns,
    *dashboard.urlpatterns,
]
