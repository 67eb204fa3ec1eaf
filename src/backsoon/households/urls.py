from django.urls import path

from backsoon.households import link_views, views

app_name = "households"

urlpatterns = [
    path("h/new/", views.household_new, name="new"),
    path("h/<int:household_id>/", views.dashboard, name="dashboard"),
    path("h/<int:household_id>/settings/", views.household_settings, name="settings"),
    path("h/<int:household_id>/delete/", views.household_delete, name="delete"),
    path("h/<int:household_id>/me/", views.profile, name="profile"),
    path("h/<int:household_id>/leave/", views.leave, name="leave"),
    path("h/<int:household_id>/children/new/", views.child_new, name="child_new"),
    path("h/<int:household_id>/children/<int:child_id>/", views.child_edit, name="child_edit"),
    path("h/<int:household_id>/members/", views.members, name="members"),
    path("h/<int:household_id>/members/invite/", views.invite, name="invite"),
    path(
        "h/<int:household_id>/members/<int:member_id>/remove/",
        views.member_remove,
        name="member_remove",
    ),
    path(
        "h/<int:household_id>/invitations/<int:invitation_id>/revoke/",
        views.invitation_revoke,
        name="invitation_revoke",
    ),
    path("invite/<str:token>/", views.accept, name="accept"),
    path("h/<int:household_id>/links/", link_views.links, name="links"),
    path(
        "h/<int:household_id>/links/<int:link_id>/revoke/",
        link_views.link_revoke,
        name="link_revoke",
    ),
    path("h/<int:household_id>/care/about-this-link/", link_views.link_about, name="link_about"),
    path("c/<str:token>/", link_views.link_open, name="link_open"),
]
