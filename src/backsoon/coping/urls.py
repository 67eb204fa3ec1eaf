from django.urls import path

from backsoon.coping import views_grounding, views_urge, views_urgent

app_name = "coping"

H = "h/<int:household_id>"

urlpatterns = [
    # The parent's own (owner): grounding tools, their words, their urges.
    path(f"{H}/grounding/", views_grounding.grounding, name="grounding"),
    path(f"{H}/grounding/kit/", views_grounding.kit, name="kit"),
    path(f"{H}/grounding/strengths/", views_grounding.strengths, name="strengths"),
    path(
        f"{H}/grounding/strengths/<str:carer>/",
        views_grounding.strengths_edit,
        name="strengths_edit",
    ),
    path(f"{H}/separations/<int:separation_id>/urges/new/", views_urge.urge_new, name="urge_new"),
    path(f"{H}/urges/", views_urge.urges, name="urges"),
    path(f"{H}/urges/<int:urge_id>/", views_urge.urge, name="urge"),
    # The caregiver's urgent path, and the parents' view of a call.
    path(f"{H}/care/now/<int:separation_id>/urgent/", views_urgent.urgent_call, name="urgent"),
    path(f"{H}/care/urgent/<int:call_id>/", views_urgent.urgent_status, name="urgent_status"),
    path(
        f"{H}/care/urgent/<int:call_id>/mistake/",
        views_urgent.urgent_mistake,
        name="urgent_mistake",
    ),
    path(f"{H}/urgent/<int:call_id>/", views_urgent.urgent_parent, name="urgent_parent"),
]
