from .views import audits, index, measures, sac, submissions

app_name = "reports"
urlpatterns = [
    *index.urlpatterns,
    *sac.urlpatterns,
    *submissions.urlpatterns,
    *measures.urlpatterns,
    *audits.urlpatterns,
]
