from .audits import views as audit_views
from .views import app_name
from .views import urlpatterns as experience_urlpatterns

urlpatterns = [*experience_urlpatterns, *audit_views.urlpatterns]

__all__ = ["app_name", "urlpatterns"]
