"""Forms of the people and YOT pages, the invitation and the password reset (GOV.UK layouts)."""

from __future__ import annotations

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Fluid, Layout, Size, Submit
from django import forms
from django.contrib.auth.forms import PasswordResetForm, SetPasswordForm
from django.contrib.auth.password_validation import password_validators_help_texts
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from inspections.enums import PARTNER_INSPECTORATES, Country, Inspectorate, Language, Programme, StaffRole, TeamRole
from inspections.forms import LANGUAGE_CHOICES_IN_THEMSELVES
from inspections.models import User, YouthOffendingTeam
from inspections.notifications import absolute_url, email_language, render_email


def add_service_errors(form: forms.Form, exc: ValidationError, rename: dict[str, str] | None = None) -> None:
    """Attach a service's ValidationError to the form, on the field it names where the form has it."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for field, errors in exc.error_dict.items():
        field = (rename or {}).get(field, field)
        form.add_error(field if field in form.fields else None, errors)


def _helper(*fields, submit: str) -> FormHelper:
    helper = FormHelper()
    helper.layout = Layout(*fields, Submit("submit", submit))
    return helper


def _required(form: forms.Form, messages: dict[str, str]) -> None:
    for name, message in messages.items():
        form.fields[name].error_messages["required"] = message


EMAIL_FORMAT = _("Enter an email address in the correct format, like name@example.gov.uk")


class _NameEmailLanguage(forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    email = forms.EmailField(label=_("Email address"), max_length=254, error_messages={"invalid": EMAIL_FORMAT})
    language = forms.ChoiceField(
        label=_("Which language should emails to them be in?"),
        choices=Language.choices,
        initial=Language.ENGLISH,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _required(
            self,
            {
                "first_name": _("Enter their first name"),
                "last_name": _("Enter their last name"),
                "email": _("Enter their email address"),
                "language": _("Choose the language of their emails"),
            },
        )

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip()


class PersonForm(_NameEmailLanguage):
    """An administrator's form for a person: who they are and what they do."""

    field_order = ["first_name", "last_name", "email", "role", "yot", "inspectorate", "language"]

    role = forms.ChoiceField(label=_("Role"), choices=StaffRole.choices, widget=forms.RadioSelect)
    yot = forms.ModelChoiceField(
        label=_("Youth offending team (YOT managers and local assessors only)"),
        queryset=YouthOffendingTeam.objects.all(),
        required=False,
        empty_label=_("Not applicable"),
    )
    inspectorate = forms.ChoiceField(
        label=_("Inspectorate (partner inspectors only)"),
        choices=[("", _("Not applicable")), *Inspectorate.choices],
        required=False,
    )

    def __init__(self, *args, submit: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].error_messages["required"] = _("Choose the person's role")
        self.helper = _helper(
            Field.text("first_name", field_width=Fluid.ONE_HALF),
            Field.text("last_name", field_width=Fluid.ONE_HALF),
            Field.text("email", field_width=Fluid.TWO_THIRDS),
            Field.radios("role", legend_size=Size.SMALL, small=True),
            Field.select("yot"),
            Field.select("inspectorate"),
            Field.radios("language", legend_size=Size.SMALL, small=True, inline=True),
            submit=submit,
        )

    @staticmethod
    def initial_for(person: User) -> dict:
        return {
            "first_name": person.first_name,
            "last_name": person.last_name,
            "email": person.email,
            "role": person.role,
            "yot": person.yot_id,
            "inspectorate": person.inspectorate,
            "language": person.language,
        }


class TeamInviteForm(_NameEmailLanguage):
    """The lead inspector's form for someone new to the team: a local assessor or a partner inspector."""

    field_order = ["first_name", "last_name", "email", "role", "yot", "inspectorate", "supervisor", "language"]

    role = forms.ChoiceField(label=_("Role on this inspection"), widget=forms.RadioSelect)
    yot = forms.ModelChoiceField(
        label=_("Their youth offending team (local assessors only)"),
        queryset=YouthOffendingTeam.objects.all(),
        required=False,
        empty_label=_("Not applicable"),
        help_text=_("A local assessor comes from another YOT than the one inspected."),
    )
    inspectorate = forms.ChoiceField(label=_("Their inspectorate (partner inspectors only)"), required=False)
    supervisor = forms.ModelChoiceField(
        label=_("Supervising inspector (local assessors only)"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("Not applicable"),
    )

    def __init__(self, *args, inspection, **kwargs):
        super().__init__(*args, **kwargs)
        roles = [TeamRole.LOCAL_ASSESSOR]
        if inspection.programme == Programme.FJI:
            roles.append(TeamRole.PARTNER_INSPECTOR)
        self.fields["role"].choices = [(role.value, role.label) for role in roles]
        self.fields["role"].error_messages["required"] = _("Choose their role on this inspection")
        self.fields["inspectorate"].choices = [("", _("Not applicable"))] + [
            (value.value, value.label) for value in PARTNER_INSPECTORATES[Country(inspection.country)]
        ]
        self.fields["supervisor"].queryset = User.objects.filter(
            memberships__inspection=inspection,
            memberships__role__in=[TeamRole.LEAD_INSPECTOR, TeamRole.ASSISTANT_INSPECTOR],
        ).order_by("last_name", "first_name")
        fields = [
            Field.text("first_name", field_width=Fluid.ONE_HALF),
            Field.text("last_name", field_width=Fluid.ONE_HALF),
            Field.text("email", field_width=Fluid.TWO_THIRDS),
            Field.radios("role", legend_size=Size.SMALL, small=True),
            Field.select("yot"),
        ]
        if inspection.programme == Programme.FJI:
            fields.append(Field.select("inspectorate"))
        else:
            del self.fields["inspectorate"]
        fields += [
            Field.select("supervisor"),
            Field.radios("language", legend_size=Size.SMALL, small=True, inline=True),
        ]
        self.helper = _helper(*fields, submit=_("Add to the team and send the invitation"))

    def clean(self):
        cleaned = super().clean()
        role = cleaned.get("role")
        if role == TeamRole.LOCAL_ASSESSOR and not cleaned.get("yot"):
            self.add_error("yot", _("Choose the local assessor's own youth offending team"))
        if role == TeamRole.PARTNER_INSPECTOR and not cleaned.get("inspectorate"):
            self.add_error("inspectorate", _("Choose the partner inspector's inspectorate"))
        return cleaned


class YotForm(forms.Form):
    code = forms.SlugField(
        label=_("Code"),
        max_length=80,
        help_text=_("Lower-case letters, numbers and hyphens, for example north-yorkshire"),
        error_messages={"invalid": _("The code can only have lower-case letters, numbers and hyphens")},
    )
    name = forms.CharField(label=_("Name"), max_length=200)
    country = forms.ChoiceField(label=_("Country"), choices=Country.choices, widget=forms.RadioSelect)
    local_authorities = forms.CharField(
        label=_("Local authorities (optional)"),
        max_length=400,
        required=False,
        help_text=_("The local authorities the YOT serves, where it serves more than one."),
    )

    def __init__(self, *args, submit: str, **kwargs):
        super().__init__(*args, **kwargs)
        _required(
            self,
            {"code": _("Enter the YOT's code"), "name": _("Enter the YOT's name"), "country": _("Choose the country")},
        )
        self.helper = _helper(
            Field.text("code", field_width=20),
            Field.text("name", field_width=Fluid.TWO_THIRDS),
            Field.radios("country", legend_size=Size.SMALL, small=True, inline=True),
            Field.text("local_authorities"),
            submit=submit,
        )

    def clean_code(self) -> str:
        return self.cleaned_data["code"].strip().lower()


class GovukSetPasswordForm(SetPasswordForm):
    """Django's set-password form (its validators, its messages) in a GOV.UK layout."""

    def __init__(self, user, *args, submit: str = _("Create password"), **kwargs):
        super().__init__(user, *args, **kwargs)
        self.fields["new_password1"].label = _("Password")
        self.fields["new_password1"].help_text = " ".join(password_validators_help_texts())
        self.fields["new_password2"].label = _("Confirm password")
        self.fields["new_password2"].help_text = ""
        self.fields["new_password1"].error_messages["required"] = _("Enter a password")
        self.fields["new_password2"].error_messages["required"] = _("Enter the password again")
        self.helper = _helper(
            Field.text("new_password1", field_width=Fluid.ONE_HALF),
            Field.text("new_password2", field_width=Fluid.ONE_HALF),
            submit=submit,
        )


class EmailLanguageForm(forms.Form):
    """A person's own choice of the language of their emails (Your account)."""

    language = forms.ChoiceField(
        label=_("Which language should your emails be in?"),
        choices=LANGUAGE_CHOICES_IN_THEMSELVES,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the language of your emails")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(Field.radios("language", legend_size=Size.MEDIUM), submit=_("Save changes"))


class LocalisedPasswordResetForm(PasswordResetForm):
    """The reset email goes in the person's own language, with a link to ``SITE_URL``."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].label = _("Email address")
        self.fields["email"].error_messages.update({"required": _("Enter your email address"), "invalid": EMAIL_FORMAT})
        self.helper = _helper(Field.text("email", field_width=Fluid.TWO_THIRDS), submit=_("Send the link"))

    def send_mail(self, subject_template_name, email_template_name, context, from_email, to_email, **kwargs):
        user = context["user"]
        context = {
            **context,
            "recipient_name": user.get_full_name() or user.username,
            "link": absolute_url(
                reverse("password_reset_confirm", kwargs={"uidb64": context["uid"], "token": context["token"]})
            ),
        }
        # Rendered as every other email is, so a person whose language is not recorded gets it in
        # Welsh and English when their YOT is in Wales (notifications.email_language).
        language = email_language(user.language, country=user.yot.country if user.yot_id else None)
        template = email_template_name.removeprefix("emails/").removesuffix(".txt")
        subject, body = render_email(template, context, language)
        EmailMessage(subject=subject, body=body, from_email=from_email, to=[to_email]).send()


class TwoFactorCodeForm(forms.Form):
    """One code: six digits from the authenticator app or, where ``recovery`` allows, a recovery code."""

    code = forms.CharField(max_length=40, strip=True)

    def __init__(self, *args, recovery: bool, submit: str, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["code"]
        if recovery:
            field.label = _("Code")
            field.help_text = _("The 6-digit code your authenticator app shows now, or one of your recovery codes")
            field.error_messages["required"] = _("Enter the code from your authenticator app or a recovery code")
        else:
            field.label = _("Code from your authenticator app")
            field.help_text = _("The 6 digits your authenticator app shows now")
            field.error_messages["required"] = _("Enter the code from your authenticator app")
        # Browsers and phone keyboards can then fill in the code the app just showed.
        field.widget.attrs.update({"autocomplete": "one-time-code", "spellcheck": "false"})
        if not recovery:
            field.widget.attrs["inputmode"] = "numeric"
        self.helper = _helper(Field.text("code", field_width=10 if recovery else 5), submit=submit)
