"""Case views, a module per sub-domain; each module lists its own `urlpatterns` (collected in ../urls.py)."""
