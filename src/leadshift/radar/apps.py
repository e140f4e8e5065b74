from django.apps import AppConfig


class RadarConfig(AppConfig):
    name = "leadshift.radar"
    label = "radar"
