from django.apps import AppConfig


class PulseConfig(AppConfig):
    name = "leadshift.pulse"
    label = "pulse"
    verbose_name = "Culture pulse"

    def ready(self) -> None:
        # Registers the pulse as evidence for the framework's behaviours.
        from leadshift.pulse import evidence  # noqa: F401
