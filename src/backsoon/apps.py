from django.apps import AppConfig


class BacksoonConfig(AppConfig):
    name = "backsoon"
    verbose_name = "Back Soon"

    def ready(self) -> None:
        from backsoon import checks  # noqa: F401  (registers the system checks)
