from django.apps import AppConfig


class SchedulingConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "scheduling"

    def ready(self):
        from inspections.demo import register
        from scheduling.demo import step

        register("scheduling", step)
