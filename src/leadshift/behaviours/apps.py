from django.apps import AppConfig


class BehavioursConfig(AppConfig):
    name = "leadshift.behaviours"
    default_auto_field = "django.db.models.BigAutoField"
