from django.apps import AppConfig


class CaseworkConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "casework"

    def ready(self):
        from casework.demo import step
        from inspections.demo import register

        register("casework", step)
        # Issue 9 §5: the gates on the status moves this app's facts decide.
        from casework import gates

        gates.register()
        # Issue 9 §4: this app's tasks on the home page.
        from casework import todo

        todo.register()
