from .views import (
    bulk_allocation,
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
    *bulk_allocation.urlpatterns,
    *transfers.urlpatterns,
    *providers.urlpatterns,
    *warnings.urlpatterns,
]
