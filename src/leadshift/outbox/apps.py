from django.apps import AppConfig


class OutboxConfig(AppConfig):
    name = "leadshift.outbox"
    label = "outbox"
    verbose_name = "Outbox"
