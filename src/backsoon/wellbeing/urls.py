from django.urls import path

from backsoon.wellbeing import views, views_foryou, views_guides, views_selfcheck

app_name = "wellbeing"

ME = "h/<int:household_id>/for-you"

urlpatterns = [
    path("help/", views.help_now, name="help"),
    # The person's own page and data (owner).
    path(f"{ME}/", views_foryou.for_you, name="for_you"),
    path(f"{ME}/check/gad-7/", views_selfcheck.take, {"check": "gad7"}, name="gad7"),
    path(f"{ME}/check/phq-9/", views_selfcheck.take, {"check": "phq9"}, name="phq9"),
    path(f"{ME}/results/", views_selfcheck.history, name="history"),
    path(f"{ME}/results/<int:result_id>/", views_selfcheck.result, name="result"),
    path(f"{ME}/results/delete/", views_selfcheck.delete_results, name="delete_results"),
    path(f"{ME}/reminder/", views_selfcheck.reminder, name="reminder"),
    path(f"{ME}/cards/dismiss/", views_foryou.dismiss, name="dismiss"),
    path(f"{ME}/how-is-it-going/", views_foryou.reflection, name="reflection"),
    # Reading for the household.
    path("h/<int:household_id>/guide/age/<int:child_id>/", views_guides.age, name="age"),
    path("h/<int:household_id>/guide/leaving/", views_guides.leaving_guide, name="guide_leaving"),
    path("h/<int:household_id>/guide/partner/", views_guides.partner_guide, name="guide_partner"),
    path(
        "h/<int:household_id>/guide/caregiver/",
        views_guides.caregiver_guide,
        name="guide_caregiver",
    ),
]
