from django.urls import path

from . import views

app_name = "letters"

urlpatterns = [
    path("letters/templates/", views.template_list, name="template_list"),
    path("letters/templates/new/", views.template_add, name="template_add"),
    path("letters/templates/<int:pk>/", views.template_edit, name="template_edit"),
    path("enquiries/<int:pk>/letters/new/", views.letter_choose, name="choose"),
    path("enquiries/<int:pk>/letters/new/<int:template_pk>/", views.letter_write, name="write"),
]
