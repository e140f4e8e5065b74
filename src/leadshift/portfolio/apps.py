from django.apps import AppConfig


class PortfolioConfig(AppConfig):
    name = "leadshift.portfolio"
    label = "portfolio"
