from django.urls import path

from . import views

app_name = "enquiries"

urlpatterns = [
    path("caseload/", views.caseload, name="caseload"),
    path("people/<int:pk>/", views.person_detail, name="person_detail"),
    path("people/<int:pk>/access/", views.person_access_log, name="person_access_log"),
    path("concerns/<int:pk>/", views.concern_detail, name="concern_detail"),
    path("enquiries/<int:pk>/", views.enquiry_detail, name="enquiry_detail"),
]
