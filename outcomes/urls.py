from django.urls import path

from . import views

app_name = "outcomes"

urlpatterns = [
    path("enquiries/<int:pk>/outcomes/new/", views.outcome_add, name="outcome_add"),
    path("outcomes/<int:pk>/", views.outcome_detail, name="outcome_detail"),
    path("outcomes/<int:pk>/revise/", views.outcome_revise, name="outcome_revise"),
    path("outcomes/<int:pk>/withdraw/", views.outcome_withdraw, name="outcome_withdraw"),
    path("outcomes/<int:pk>/achievement/", views.outcome_achievement, name="outcome_achievement"),
]
