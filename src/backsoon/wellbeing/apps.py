from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WellbeingConfig(AppConfig):
    name = "backsoon.wellbeing"
    label = "wellbeing"
    verbose_name = _("Wellbeing")

    def ready(self) -> None:
        from django.core.checks import register

        from backsoon.wellbeing.checks import check_content, check_crisis_resources

        register(check_crisis_resources)
        register(check_content)
