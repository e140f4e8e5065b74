from django.apps import AppConfig


class FrameworksConfig(AppConfig):
    name = "leadshift.frameworks"
    label = "frameworks"
