from django.urls import path

from . import views

app_name = "retention"

urlpatterns = [
    path("retention/", views.due_list, name="due"),
    path("retention/people/<int:pk>/", views.person_page, name="person"),
    path("retention/people/<int:pk>/hold/", views.hold_add, name="hold_add"),
    path("retention/people/<int:pk>/propose/", views.disposal_propose, name="propose"),
    path("retention/holds/<int:pk>/lift/", views.hold_lift, name="hold_lift"),
    path("retention/disposals/<int:pk>/approve/", views.disposal_approve, name="approve"),
    path("retention/disposals/<int:pk>/withdraw/", views.disposal_withdraw, name="withdraw"),
]
