from __future__ import annotations

from django import forms
from django.contrib.auth.password_validation import validate_password


class SignupForm(forms.Form):
    name = forms.CharField(label="Your name", max_length=200)
    email = forms.EmailField(label="Work e-mail")
    title = forms.CharField(
        label="Your role today",
        max_length=200,
        required=False,
        help_text="For example: Senior product manager",
    )
    organisation = forms.CharField(label="Organisation", max_length=200)
    password = forms.CharField(
        label="Password",
        widget=forms.PasswordInput,
        help_text="At least 8 characters, not all digits.",
    )

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        validate_password(password)
        return password


class TokenForm(forms.Form):
    name = forms.CharField(label="What the token is for", max_length=100, initial="cli")
