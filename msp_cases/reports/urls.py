from .views import audits, index, measures, sac

app_name = "reports"
urlpatterns = [*index.urlpatterns, *sac.urlpatterns, *measures.urlpatterns, *audits.urlpatterns]
