"""The front door's staff pages, at /front-door/ (the public form's pages are in urls.py)."""

from .views.queue import urlpatterns

app_name = "front_door"

__all__ = ["app_name", "urlpatterns"]
