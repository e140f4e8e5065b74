from django.apps import AppConfig


class CoachingConfig(AppConfig):
    name = "leadshift.coaching"
    label = "coaching"
