from django.apps import AppConfig


class RiskConfig(AppConfig):
    name = "leadshift.risk"
    label = "risk"
