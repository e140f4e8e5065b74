from django.apps import AppConfig


class NudgesConfig(AppConfig):
    name = "leadshift.nudges"
    label = "nudges"
