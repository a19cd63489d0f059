from .views import audits, drilldown, index, measures, sac, submissions

app_name = "reports"
urlpatterns = [
    *index.urlpatterns,
    *sac.urlpatterns,
    *drilldown.urlpatterns,
    *submissions.urlpatterns,
    *measures.urlpatterns,
    *audits.urlpatterns,
]
