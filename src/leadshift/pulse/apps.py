from django.apps import AppConfig


class PulseConfig(AppConfig):
    name = "leadshift.pulse"
    label = "pulse"
    verbose_name = "Culture pulse"
