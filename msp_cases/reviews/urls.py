from django.urls import path

from . import views

app_name = "reviews"

urlpatterns = [
    path("safeguarding-adults-reviews/", views.review_list, name="list"),
    path("safeguarding-adults-reviews/new/", views.review_add, name="add"),
    path("safeguarding-adults-reviews/<int:pk>/", views.review_detail, name="detail"),
    path("safeguarding-adults-reviews/<int:pk>/change/", views.review_edit, name="edit"),
    path(
        "safeguarding-adults-reviews/<int:pk>/individuals/new/", views.individual_add, name="individual_add"
    ),
    path(
        "safeguarding-adults-reviews/<int:pk>/individuals/<int:individual_pk>/",
        views.individual_edit,
        name="individual_edit",
    ),
]
