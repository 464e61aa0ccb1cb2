"""Forms of FJI fieldwork week 2. They read what was typed; the rules (week 2's dates, the session
times, clashes) are checked by ``services_week2`` through ``week2.check_session``, whose messages
name the sessions."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from scheduling import week2 as W
from scheduling.domain.model import Window
from scheduling.enums import Week2Kind


def when_value(day: dt.date, window: Window) -> str:
    return f"{day.isoformat()}T{window}".replace("–", "-")


def parse_when(value: str) -> tuple[dt.date, Window]:
    """'2027-02-23T09:00-10:00' -> (date, window); ValueError otherwise."""
    day, sep, window = value.partition("T")
    if not sep:
        raise ValueError(value)
    return dt.date.fromisoformat(day), Window.parse(window)


class Revision(forms.Form):
    revision = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)


class SessionForm(Revision):
    """The YOT manager's proposal: what, when, who attends (adults, "name, role" a line)."""

    kind = forms.ChoiceField(
        label=gettext_lazy("What kind of session is it?"),
        choices=[(k.value, k.label) for k in Week2Kind if k != Week2Kind.PRESENTATION],
        widget=forms.RadioSelect,
    )
    title = forms.CharField(
        label=gettext_lazy("Title"),
        help_text=gettext_lazy("For example “Interview with the Head of Education”. Do not name a child."),
        max_length=200,
    )
    when = forms.CharField(label=gettext_lazy("When"))
    strand = forms.ChoiceField(label=gettext_lazy("What it inspects"))
    case = forms.ChoiceField(label=gettext_lazy("About a case (optional)"), required=False)
    attendees = forms.CharField(
        label=gettext_lazy("Who attends"),
        help_text=gettext_lazy(
            "One person a line: their name, a comma, then their role. Adults only: for a session about a "
            "child, choose the case above."
        ),
        required=False,
        max_length=8000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    nobody_available = forms.BooleanField(
        label=gettext_lazy("Nobody is available for this session: the inspectors inspect from the documents"),
        required=False,
    )

    def __init__(self, *args, slots, strands, cases, **kwargs):
        super().__init__(*args, **kwargs)
        self.slot_choices = [(when_value(d, w), W.describe_when(d, w)) for d, w in slots]
        self.fields["strand"].choices = strands
        self.fields["case"].choices = [("", _("Not about one case"))] + [(str(c.pk), c.reference) for c in cases]
        self.case_by_pk = {str(c.pk): c for c in cases}

    def clean_when(self):
        try:
            return parse_when(self.cleaned_data["when"])
        except ValueError:
            raise forms.ValidationError(_("Choose when the session is.")) from None

    def clean_case(self):
        value = self.cleaned_data.get("case") or ""
        return self.case_by_pk.get(value)

    def clean_attendees(self):
        people, errors = W.parse_attendees(self.cleaned_data.get("attendees", ""))
        if errors:
            raise forms.ValidationError([str(e) for e in errors])
        return people


class ConfirmForm(Revision):
    inspectors = forms.MultipleChoiceField(
        label=gettext_lazy("Inspectors for this session"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": gettext_lazy("Choose at least one inspector.")},
    )

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.user_by_pk = {str(m.user_id): m.user for m in members}
        self.fields["inspectors"].choices = [
            (str(m.user_id), f"{m.user} ({m.user.get_inspectorate_display() or m.get_role_display()})") for m in members
        ]

    def clean_inspectors(self):
        return [self.user_by_pk[pk] for pk in self.cleaned_data["inspectors"]]


class PresentationForm(Revision):
    """The presentation's invitees whose roles the contacts page does not record, named here."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for invitee in W.NAMED_ON_PRESENTATION:
            self.fields[invitee.key] = forms.CharField(
                label=_(invitee.label),
                help_text=_("One name a line."),
                required=False,
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def named(self) -> dict[str, list[str]]:
        return {i.key: self.cleaned_data.get(i.key, "").splitlines() for i in W.NAMED_ON_PRESENTATION}


class QuestionnaireForm(forms.Form):
    completed_on = forms.DateField(
        label=gettext_lazy("Date the YOT completed the questionnaire"),
        help_text=gettext_lazy("For example 27/3/2027"),
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
        error_messages={"invalid": gettext_lazy("Enter the date as day/month/year, for example 27/3/2027.")},
    )


class FindingsForm(Revision):
    """What a confirmed session found, and the judgements it informs (services_week2.week2_findings_record)."""

    findings = forms.CharField(
        label=gettext_lazy("What did the session find?"),
        help_text=gettext_lazy(
            "Shown to the lead inspector beside the judgements it informs. Do not write a child’s name."
        ),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": gettext_lazy("Write what the session found.")},
    )
    informs = forms.MultipleChoiceField(
        label=gettext_lazy("Which judgements does it inform?"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": gettext_lazy("Choose at least one judgement the session informs.")},
    )

    def __init__(self, *args, areas, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["informs"].choices = [(key, _(label)) for key, label in areas]
