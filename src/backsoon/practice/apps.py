from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PracticeConfig(AppConfig):
    name = "backsoon.practice"
    label = "practice"
    verbose_name = _("Practice")

    def ready(self) -> None:
        # The opt-in weekly note (weekly.py): the worker sends the ones that are due.
        from backsoon.notify import worker
        from backsoon.practice.weekly import send_due_weekly_notes

        worker.register(send_due_weekly_notes)
