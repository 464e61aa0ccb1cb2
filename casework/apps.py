from django.apps import AppConfig


class CaseworkConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "casework"

    def ready(self):
        from casework.demo import step
        from inspections.demo import register

        register("casework", step)
