from __future__ import annotations

from django import forms
from django.contrib.auth.password_validation import (
    password_validators_help_text_html,
    validate_password,
)
from django.utils.functional import lazy


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
        # The rules the validators in settings enforce, in their own words.
        help_text=lazy(password_validators_help_text_html, str)(),
    )

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        # The e-mail and name count too: a password like one's own address is refused.
        from django.contrib.auth.models import User

        like = User(username=self.data.get("email", ""), email=self.data.get("email", ""))
        like.first_name = self.data.get("name", "")
        validate_password(password, like)
        return password


class TokenForm(forms.Form):
    name = forms.CharField(label="What the token is for", max_length=100, initial="cli")
