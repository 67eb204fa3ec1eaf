from django.urls import include, path

from backsoon import views
from backsoon.households import views as household_views

urlpatterns = [
    path("", household_views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("accounts/", include("allauth.urls")),
    path("", include("backsoon.households.urls")),
    path("", include("backsoon.caresheets.urls")),
    path("", include("backsoon.wellbeing.urls")),
]
