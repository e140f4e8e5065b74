from django.apps import AppConfig


class TimeUseConfig(AppConfig):
    name = "leadshift.timeuse"
    label = "timeuse"
    verbose_name = "Calendar time use"
