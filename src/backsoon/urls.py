from django.urls import include, path

from backsoon import account_views, pwa, views
from backsoon.households import views as household_views

urlpatterns = [
    path("", household_views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("manifest.webmanifest", pwa.manifest, name="manifest"),
    path("sw.js", pwa.service_worker, name="service_worker"),
    path("offline/", pwa.offline, name="offline"),
    path("favicon.ico", pwa.favicon, name="favicon"),
    path(
        "accounts/log-out-everywhere/",
        account_views.logout_everywhere,
        name="logout_everywhere",
    ),
    path("accounts/", include("allauth.urls")),
    path("", include("backsoon.households.urls")),
    path("", include("backsoon.caresheets.urls")),
    path("", include("backsoon.separations.urls")),
    path("", include("backsoon.practice.urls")),
    path("", include("backsoon.coping.urls")),
    path("", include("backsoon.wellbeing.urls")),
    path("", include("backsoon.notify.urls")),
    path("", include("backsoon.api.urls")),
]
