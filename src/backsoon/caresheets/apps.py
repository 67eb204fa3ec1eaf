from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CaresheetsConfig(AppConfig):
    name = "backsoon.caresheets"
    label = "caresheets"
    verbose_name = _("Care sheets")
