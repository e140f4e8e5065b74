from __future__ import annotations

from django import forms

from leadshift.nudges.models import DigestSetting


class DigestForm(forms.ModelForm):
    class Meta:
        model = DigestSetting
        fields = ["weekly_digest"]
        labels = {"weekly_digest": "Send me a weekly digest"}
