from django.apps import AppConfig


class DecisionsConfig(AppConfig):
    name = "leadshift.decisions"
    label = "decisions"
