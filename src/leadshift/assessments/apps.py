from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "leadshift.assessments"
    label = "assessments"
