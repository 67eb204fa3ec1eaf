from django.urls import path

from backsoon.caresheets import edit_views, views
from backsoon.caresheets.sections import HOUSEHOLD_SECTIONS

app_name = "caresheets"

urlpatterns = [
    path("h/<int:household_id>/care/", views.care, name="care"),
    path("h/<int:household_id>/care/agreement/respond/", views.respond, name="respond"),
    path("h/<int:household_id>/care/text-size/", views.text_size, name="text_size"),
    path("h/<int:household_id>/care/edit/", edit_views.edit, name="edit"),
    path(
        "h/<int:household_id>/care/edit/children/<int:child_id>/<slug:section>/",
        edit_views.child_section,
        name="child_section",
    ),
    # One URL per shared part, so the URL carries no keyword that isn't an object's id.
    *[
        path(
            f"h/<int:household_id>/care/edit/{part.key}/",
            edit_views.household_section,
            {"part": part.key},
            name=f"household_{part.key}",
        )
        for part in HOUSEHOLD_SECTIONS
    ],
    path("h/<int:household_id>/care/edit/agreement/", edit_views.agreement, name="agreement"),
    path("h/<int:household_id>/care/history/", edit_views.history, name="history"),
]
