from django.apps import AppConfig


class PlanningConfig(AppConfig):
    name = "leadshift.planning"
    label = "planning"
