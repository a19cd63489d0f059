from .views import (
    caseload,
    concerns,
    conversations,
    dashboard,
    drift,
    enquiry,
    people,
    plans,
    providers,
    transfers,
)

app_name = "enquiries"

urlpatterns = [
    *caseload.urlpatterns,
    *people.urlpatterns,
    *concerns.urlpatterns,
    *enquiry.urlpatterns,
    *plans.urlpatterns,
    *drift.urlpatterns,
    *conversations.urlpatterns,
    *dashboard.urlpatterns,
    *transfers.urlpatterns,
    *providers.urlpatterns,
]
