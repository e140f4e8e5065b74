from django.apps import AppConfig


class MentoringConfig(AppConfig):
    name = "leadshift.mentoring"
    label = "mentoring"
