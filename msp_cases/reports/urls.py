from .views import index

app_name = "reports"
urlpatterns = [*index.urlpatterns]
