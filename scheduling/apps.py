from django.apps import AppConfig


class SchedulingConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "scheduling"

    def ready(self):
        from inspections.demo import register
        from scheduling.demo import step

        register("scheduling", step)
        # Issue 9 §5: the gates on the status moves this app's facts decide.
        from scheduling import gates

        gates.register()
        # Issue 9 §4: this app's tasks on the home page.
        from scheduling import todo

        todo.register()
