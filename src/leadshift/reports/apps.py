from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "leadshift.reports"
    label = "reports"
