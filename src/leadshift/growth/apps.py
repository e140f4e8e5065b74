from django.apps import AppConfig


class GrowthConfig(AppConfig):
    name = "leadshift.growth"
    label = "growth"
