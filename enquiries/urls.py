from .views import (
    caseload,
    chronology,
    concern_allocation,
    concerns,
    conversations,
    dashboard,
    drift,
    enquiry,
    people,
    plans,
    providers,
    transfers,
    warnings,
)

app_name = "enquiries"

urlpatterns = [
    *caseload.urlpatterns,
    *people.urlpatterns,
    *chronology.urlpatterns,
    *concerns.urlpatterns,
    *concern_allocation.urlpatterns,
    *enquiry.urlpatterns,
    *plans.urlpatterns,
    *drift.urlpatterns,
    *conversations.urlpatterns,
    *dashboard.urlpatterns,
    *transfers.urlpatterns,
    *providers.urlpatterns,
    *warnings.urlpatterns,
]
