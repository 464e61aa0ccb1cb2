from django.apps import AppConfig


class ReportsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "reports"

    def ready(self):
        from inspections.demo import register
        from reports.demo import step

        register("reports", step)
        # Issue 9 §5: sending and publishing the report are gates on the inspection's status.
        from reports import gates

        gates.register()
        # Issue 9 §4: this app's tasks on the home page.
        from reports import todo

        todo.register()
        # A draft sent late moves the YOT's factual accuracy deadline: the reminders say the real one.
        from inspections.deadlines import register_deadline
        from reports.services import factual_accuracy_deadlines

        register_deadline("factual_accuracy_due", factual_accuracy_deadlines)
