from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "leadshift.core"
    label = "core"
