from .views import audits, drilldown, index, measures, msp_drilldown, sac, submissions

app_name = "reports"
urlpatterns = [
    *index.urlpatterns,
    *sac.urlpatterns,
    *drilldown.urlpatterns,
    *msp_drilldown.urlpatterns,
    *submissions.urlpatterns,
    *measures.urlpatterns,
    *audits.urlpatterns,
]
