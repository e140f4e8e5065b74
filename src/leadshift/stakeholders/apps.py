from django.apps import AppConfig


class StakeholdersConfig(AppConfig):
    name = "leadshift.stakeholders"
    label = "stakeholders"
