from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SeparationsConfig(AppConfig):
    name = "backsoon.separations"
    label = "separations"
    verbose_name = _("Separations")
