from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.password_validation import (
    password_validators_help_text_html,
    validate_password,
)
from django.core.exceptions import ValidationError
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


ROLE_CHOICES = [
    ("admin", "Admin: people, teams, invitations"),
    ("leader", "Leader: portfolio and risks"),
]


def _org_fields(form: forms.Form, organisation: Any, exclude: Any = None) -> None:
    """Pickers of the organisation's active people and current teams, and its target roles."""
    from leadshift.people.models import Person, Team
    from leadshift.people.services import target_roles

    people = Person.objects.active().filter(organisation=organisation)
    if exclude is not None:
        people = people.exclude(pk=exclude.pk)
    if "manager" in form.fields:
        form.fields["manager"].queryset = people
    if "lead" in form.fields:
        form.fields["lead"].queryset = people
    if "team" in form.fields:
        form.fields["team"].queryset = Team.objects.current().filter(organisation=organisation)
    if "target_role" in form.fields:
        form.fields["target_role"].choices = [("", "—")] + [
            (r, r) for r in sorted(target_roles(organisation))
        ]


class PersonForm(forms.Form):
    email = forms.EmailField(label="E-mail")
    name = forms.CharField(max_length=200)
    title = forms.CharField(max_length=200, required=False)
    manager = forms.ModelChoiceField(queryset=None, required=False)
    team = forms.ModelChoiceField(queryset=None, required=False)
    target_role = forms.ChoiceField(label="Target role", required=False)
    roles = forms.MultipleChoiceField(
        choices=ROLE_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Everyone is a member: their own journey, and the team views of whoever "
        "reports to them.",
    )

    def __init__(self, *args: Any, organisation: Any, person: Any = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        _org_fields(self, organisation, exclude=person)
        if person is not None:
            self.fields["email"].disabled = True


class InviteForm(forms.Form):
    email = forms.EmailField(label="E-mail")
    manager = forms.ModelChoiceField(queryset=None, required=False)
    team = forms.ModelChoiceField(queryset=None, required=False)
    roles = forms.MultipleChoiceField(
        choices=ROLE_CHOICES, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, organisation: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        _org_fields(self, organisation)


class TeamForm(forms.Form):
    name = forms.CharField(max_length=200)
    lead = forms.ModelChoiceField(queryset=None, required=False)

    def __init__(self, *args: Any, organisation: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        _org_fields(self, organisation)


class AcceptInvitationForm(forms.Form):
    name = forms.CharField(label="Your name", max_length=200)
    password = forms.CharField(
        label="Choose a password",
        widget=forms.PasswordInput,
        help_text="At least 8 characters, not all digits.",
    )


class SignInForm(AuthenticationForm):
    """Django's sign-in form, telling a deactivated person why (only given the right password,
    so it says nothing to someone guessing)."""

    deactivated = False

    def clean(self) -> dict[str, Any]:
        try:
            return super().clean()
        except ValidationError:
            from django.contrib.auth import get_user_model

            username = self.cleaned_data.get("username") or ""
            password = self.cleaned_data.get("password") or ""
            user = get_user_model().objects.filter(username__iexact=username, is_active=False)
            found = user.first()
            if found is not None and found.check_password(password):
                self.deactivated = True
                raise ValidationError(
                    "This account was deactivated by an admin of your organisation; "
                    "ask them if you need it again.",
                    code="inactive",
                ) from None
            raise
