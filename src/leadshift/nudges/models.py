from __future__ import annotations

from django.db import models


class DigestSetting(models.Model):
    """Whether a person gets the weekly digest, and when the last one went out."""

    person = models.OneToOneField(
        "people.Person", on_delete=models.CASCADE, related_name="digest_setting"
    )
    weekly_digest = models.BooleanField(
        default=True, help_text="A Monday e-mail with the week's 1:1s and what is due."
    )
    last_sent_on = models.DateField(null=True, blank=True)

    def __str__(self) -> str:
        return f"digest for {self.person}: {'on' if self.weekly_digest else 'off'}"
