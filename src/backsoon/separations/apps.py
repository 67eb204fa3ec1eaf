from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SeparationsConfig(AppConfig):
    name = "backsoon.separations"
    label = "separations"
    verbose_name = _("Separations")

    def ready(self) -> None:
        # Reminders, the one nudge and the forgotten "I'm back" (work.py).
        from backsoon.notify import worker
        from backsoon.separations import work

        for step in work.STEPS:
            worker.register(step)
