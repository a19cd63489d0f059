from .views import caseload, concerns, conversations, enquiry, people

app_name = "enquiries"

urlpatterns = [
    *caseload.urlpatterns,
    *people.urlpatterns,
    *concerns.urlpatterns,
    *enquiry.urlpatterns,
    *conversations.urlpatterns,
]
