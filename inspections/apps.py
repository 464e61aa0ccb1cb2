from django.apps import AppConfig


class InspectionsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "inspections"

    def ready(self) -> None:
        # The sign-in clock of the session timeout starts at sign-in, before any middleware has run.
        from inspections import middleware, signals  # noqa: F401
