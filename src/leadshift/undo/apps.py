from django.apps import AppConfig


class UndoConfig(AppConfig):
    name = "leadshift.undo"
    label = "undo"
    verbose_name = "Undo"
