from django.apps import AppConfig


class UploadsConfig(AppConfig):
    name = "leadshift.uploads"
    label = "uploads"
