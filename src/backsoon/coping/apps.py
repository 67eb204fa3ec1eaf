from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CopingConfig(AppConfig):
    name = "backsoon.coping"
    label = "coping"
    verbose_name = _("Coping in the moment")

    def ready(self) -> None:
        # The worker sends "buzz me at the end" when a wait is over.
        from backsoon.coping.buzz import send_due_buzzes
        from backsoon.notify import worker

        worker.register(send_due_buzzes)
