from django.urls import path

from backsoon.separations import (
    views_away,
    views_calendar,
    views_caregiver,
    views_history,
    views_owner,
    views_plan,
)

app_name = "separations"

S = "h/<int:household_id>/separations/<int:separation_id>"

urlpatterns = [
    # The parents' side: planning, goodbye, away, history.
    path("h/<int:household_id>/separations/", views_history.history, name="history"),
    path("h/<int:household_id>/separations/plan/", views_plan.plan, name="plan"),
    path("h/<int:household_id>/separations/again/", views_plan.again, name="again"),
    path(f"{S}/", views_plan.detail, name="detail"),
    path(f"{S}/edit/", views_plan.edit, name="edit"),
    path(f"{S}/cancel/", views_plan.cancel, name="cancel"),
    path(f"{S}/leave/", views_plan.leave, name="leave"),
    path(f"{S}/away/", views_away.away, name="away"),
    path(f"{S}/away/updates/", views_away.poll, name="poll"),
    path(f"{S}/back/", views_away.back, name="back"),
    path("h/<int:household_id>/goodbye/<int:child_id>/", views_plan.ritual, name="ritual"),
    path("h/<int:household_id>/photos/<int:checkin_id>/", views_away.photo, name="photo"),
    # The leaving parent's own data (owner).
    path("h/<int:household_id>/separations/mine/", views_owner.mine, name="mine"),
    path(f"{S}/before/", views_owner.before, name="before"),
    path(f"{S}/message/", views_owner.message, name="message"),
    path(f"{S}/reunion/", views_owner.reunion, name="reunion"),
    # A person's private calendar feed (the token is the access).
    path("h/<int:household_id>/calendar/", views_calendar.calendar_page, name="calendar"),
    path("calendar/<str:token>.ics", views_calendar.calendar_feed, name="calendar_feed"),
    # The caregiver's side.
    path("h/<int:household_id>/care/now/", views_caregiver.care_now, name="care_now"),
    path(
        "h/<int:household_id>/care/now/<int:separation_id>/post/",
        views_caregiver.care_post,
        name="care_post",
    ),
    path(
        "h/<int:household_id>/care/now/<int:separation_id>/settled/",
        views_caregiver.care_settled,
        name="care_settled",
    ),
]
