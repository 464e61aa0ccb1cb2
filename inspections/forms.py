from __future__ import annotations

import datetime as dt

from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Fluid, Layout, Size, Submit
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from inspections.enums import ContactRole, Country, IIAKind, Language, Module, Programme, StaffRole, Status, TeamRole
from inspections.gates import GENERIC_MOVES, moved_by
from inspections.models import User, YouthOffendingTeam


class GovukDateField(DateInputField):
    """Day, month and year boxes with messages that name the field (GOV.UK date input pattern)."""

    def __init__(self, *, label_name: str, **kwargs):
        self.label_name = label_name
        super().__init__(require_all_fields=False, **kwargs)
        self.error_messages["required"] = _("Enter the %(name)s") % {"name": label_name}
        self.error_messages["incomplete"] = _("The %(name)s must include a day, month and year") % {"name": label_name}

    def compress(self, data_list):
        if not data_list or not all(data_list):
            return None
        try:
            day, month, year = (int(part) for part in data_list)
            return dt.date(year, month, day)
        except (TypeError, ValueError):
            raise ValidationError(_("The %(name)s must be a real date") % {"name": self.label_name}) from None

    def clean(self, value):
        # The parent validates each box with regexes; any junk becomes "must be a real date".
        if value and all(value):
            try:
                return self.compress([int(v) for v in value])
            except ValueError:
                raise ValidationError(_("The %(name)s must be a real date") % {"name": self.label_name}) from None
        if self.required:
            raise ValidationError(self.error_messages["required"])
        return None


def _helper(*fields, submit: str) -> FormHelper:
    helper = FormHelper()
    helper.layout = Layout(*fields, Submit("submit", submit))
    return helper


class InspectionForm(forms.Form):
    programme = forms.ChoiceField(label=_("Programme"), choices=Programme.choices, widget=forms.RadioSelect)
    yot = forms.ModelChoiceField(
        label=_("Youth offending team"),
        queryset=YouthOffendingTeam.objects.all(),
        empty_label=_("Choose a YOT"),
        error_messages={"required": _("Choose the youth offending team to inspect")},
    )
    fieldwork_start = GovukDateField(
        label=_("Fieldwork start"),
        label_name=_("fieldwork start date"),
        help_text=_("The Monday the team arrives on site, for example 8 3 2027"),
    )
    modules = forms.MultipleChoiceField(
        label=_("Additional modules (Full Joint Inspection only)"),
        choices=Module.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Choose one or two for an FJI; leave empty for an SQS."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].error_messages["required"] = _("Choose the inspection programme")
        self.helper = _helper(
            Field.radios("programme", legend_size=Size.MEDIUM),
            Field.select("yot", label_size=Size.MEDIUM),
            Field("fieldwork_start"),
            Field.checkboxes("modules", legend_size=Size.MEDIUM, small=True),
            submit=_("Create inspection"),
        )


class InspectionEditForm(forms.Form):
    fieldwork_start = GovukDateField(label=_("Fieldwork start"), label_name=_("fieldwork start date"))
    modules = forms.MultipleChoiceField(
        label=_("Additional modules (Full Joint Inspection only)"),
        choices=Module.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, programme: str, **kwargs):
        super().__init__(*args, **kwargs)
        fields = [Field("fieldwork_start")]
        if programme == Programme.FJI:
            fields.append(Field.checkboxes("modules", legend_size=Size.MEDIUM, small=True))
        else:
            del self.fields["modules"]
        self.helper = _helper(*fields, submit=_("Save changes"))


class TeamMemberForm(forms.Form):
    role = forms.ChoiceField(label=_("Role on this inspection"), choices=TeamRole.choices, widget=forms.RadioSelect)
    user = forms.ModelChoiceField(label=_("Person"), queryset=User.objects.none(), empty_label=_("Choose a person"))
    supervisor = forms.ModelChoiceField(
        label=_("Supervising inspector (local assessors only)"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("Not applicable"),
    )

    def __init__(self, *args, inspection, **kwargs):
        super().__init__(*args, **kwargs)
        team_ids = inspection.team.values_list("user_id", flat=True)
        roles = [StaffRole.LEAD_INSPECTOR, StaffRole.ASSISTANT_INSPECTOR, StaffRole.LOCAL_ASSESSOR, StaffRole.SSO]
        if inspection.programme == Programme.FJI:
            roles.append(StaffRole.PARTNER_INSPECTOR)
        else:
            self.fields["role"].choices = [c for c in TeamRole.choices if c[0] != TeamRole.PARTNER_INSPECTOR]
        self.fields["user"].queryset = (
            User.objects.filter(role__in=roles, is_active=True)
            .exclude(pk__in=team_ids)
            .order_by("last_name", "first_name")
        )
        self.fields["user"].label_from_instance = lambda u: f"{u} ({u.get_role_display()})"
        self.fields["supervisor"].queryset = User.objects.filter(
            memberships__inspection=inspection,
            memberships__role__in=[TeamRole.LEAD_INSPECTOR, TeamRole.ASSISTANT_INSPECTOR],
        )
        self.fields["role"].error_messages["required"] = _("Choose the person's role on this inspection")
        self.fields["user"].error_messages["required"] = _("Choose the person to add")
        self.helper = _helper(
            Field.radios("role", legend_size=Size.MEDIUM, small=True),
            Field.select("user"),
            Field.select("supervisor"),
            submit=_("Add to team"),
        )


# Each language named in itself, as the language switch in the header does, so a Welsh speaker
# finds "Cymraeg" whichever language the page is in.
LANGUAGE_CHOICES_IN_THEMSELVES = [(Language.ENGLISH, "English"), (Language.WELSH, "Cymraeg")]


class ContactForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=ContactRole.choices)
    name = forms.CharField(label=_("Full name"), max_length=200)
    email = forms.EmailField(label=_("Email address"))
    phone = forms.CharField(label=_("Phone number"), max_length=40, required=False)
    # Not required: in Wales an unanswered question means "not known", and their emails then come in
    # Welsh and English (notifications.email_language; docs/rulebook.md, "Language of emails").
    language = forms.ChoiceField(
        label=_("Which language should emails to them be in?"),
        choices=LANGUAGE_CHOICES_IN_THEMSELVES,
        required=False,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, country: str, **kwargs):
        super().__init__(*args, **kwargs)
        if country == Country.WALES:
            self.fields["language"].help_text = _(
                "If you do not know, leave this unanswered: their emails will be in Welsh and English."
            )
        else:
            self.fields["language"].initial = Language.ENGLISH
        self.fields["name"].error_messages["required"] = _("Enter the contact's full name")
        self.fields["email"].error_messages["required"] = _("Enter the contact's email address")
        self.fields["email"].error_messages["invalid"] = _(
            "Enter an email address in the correct format, like name@example.gov.uk"
        )
        self.helper = _helper(
            Field.select("role"),
            Field.text("name"),
            Field.text("email", field_width=Fluid.TWO_THIRDS),
            Field.text("phone", field_width=20),
            Field.radios("language", legend_size=Size.SMALL, small=True, inline=True),
            submit=_("Add contact"),
        )


class AnnounceForm(forms.Form):
    received_by = forms.CharField(
        label=_("Who took the announcement call?"),
        max_length=200,
        help_text=_("If the YOT manager was unavailable, the manager who took the call."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["received_by"].error_messages["required"] = _("Enter the name of the person who took the call")
        self.helper = _helper(Field.text("received_by"), submit=_("Record announcement and send email"))


class StatusForm(forms.Form):
    """The lead inspector's own moves (fieldwork, draft report). Every other status is reached by its
    own action, which this form refuses, saying which action that is."""

    to_status = forms.ChoiceField(choices=Status.choices, widget=forms.HiddenInput)
    expected = forms.ChoiceField(choices=Status.choices, widget=forms.HiddenInput)
    note = forms.CharField(
        label=_("Note (optional)"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def clean_to_status(self) -> str:
        to_status = self.cleaned_data["to_status"]
        if to_status not in GENERIC_MOVES:
            action = moved_by(to_status)
            raise ValidationError(action.text if action else _("The status change was not understood. Try again."))
        return to_status


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Which document is this?"), choices=IIAKind.choices, widget=forms.RadioSelect)
    upload = forms.FileField(
        label=_("Upload a file"), help_text=_("PDF, Word, Excel, PowerPoint, OpenDocument, PNG or JPEG")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].error_messages["required"] = _("Choose which document this is")
        self.fields["upload"].error_messages["required"] = _("Choose a file to upload")
        self.helper = _helper(
            Field.radios("kind", legend_size=Size.MEDIUM, small=True),
            Field("upload"),
            submit=_("Upload document"),
        )
        self.helper.form_enctype = "multipart/form-data"
