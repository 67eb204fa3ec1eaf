from django.urls import path

from backsoon.caresheets import views

app_name = "caresheets"

urlpatterns = [
    path("h/<int:household_id>/care/", views.care, name="care"),
]
