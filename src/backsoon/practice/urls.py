from django.urls import path

from backsoon.practice import views, views_owner

app_name = "practice"

P = "h/<int:household_id>/practice"

urlpatterns = [
    path(f"{P}/", views.home, name="home"),
    path(f"{P}/how/", views.how, name="how"),
    path(f"{P}/trial/", views_owner.trial, name="trial"),
    path(f"{P}/steps/add/", views.step_add, name="step_add"),
    path(f"{P}/steps/in-between/", views.in_between, name="in_between"),
    path(f"{P}/steps/<int:step_id>/", views.step_edit, name="step_edit"),
    path(f"{P}/steps/<int:step_id>/remove/", views.step_remove, name="step_remove"),
    path(f"{P}/steps/<int:step_id>/move/", views.step_move, name="step_move"),
    # A parent's ladder (both parents see it); their own progress and weekly note (owner).
    path(f"{P}/<int:parent_id>/", views.ladder, name="ladder"),
    path(f"{P}/<int:parent_id>/progress/", views_owner.progress, name="progress"),
    path(f"{P}/<int:parent_id>/week/", views_owner.week, name="week"),
]
