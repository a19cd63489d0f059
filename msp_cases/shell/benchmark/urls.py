"""The app's URLs with the floor view always mounted: benchmark_pages counts each page's SQL queries in its
own process, whose settings (development, or the test suite's) may not mount the floor."""

from django.urls import include, path

from .floor import benchmark_floor

urlpatterns = [
    path("benchmark/floor/", benchmark_floor, name="benchmark_floor"),
    path("", include("msp_cases.urls")),
]
