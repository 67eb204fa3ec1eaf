from django.urls import path

from backsoon.notify import views

app_name = "notify"

urlpatterns = [
    path("h/<int:household_id>/notifications/", views.notifications, name="settings"),
    path("h/<int:household_id>/notifications/push/", views.push_subscribe, name="push"),
    path(
        "h/<int:household_id>/notifications/channels/<int:channel_id>/",
        views.channel_action,
        name="channel",
    ),
    path(
        "h/<int:household_id>/notifications/channels/<int:channel_id>/test/",
        views.channel_test_status,
        name="test_status",
    ),
    path(
        "h/<int:household_id>/links/<int:link_id>/reminders/",
        views.link_reminders,
        name="link_reminders",
    ),
]
