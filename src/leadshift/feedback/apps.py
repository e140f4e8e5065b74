from django.apps import AppConfig


class FeedbackConfig(AppConfig):
    name = "leadshift.feedback"
    label = "feedback"
