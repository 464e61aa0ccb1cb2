from __future__ import annotations

import datetime as dt
import hashlib

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from scheduling.availability import DEFAULT_MAX_PER_DAY, MAX_INTERVIEWS_PER_DAY, DayEntry, day_errors
from scheduling.domain.model import DAY_NAMES, parse_hhmm

YES_NO = [("yes", gettext_lazy("Yes")), ("no", gettext_lazy("No"))]
TIME_PARTS = (
    ("from_1", gettext_lazy("From")),
    ("until_1", gettext_lazy("Until")),
    ("from_2", gettext_lazy("And from")),
    ("until_2", gettext_lazy("Until")),
)


def case_manager_key(email: str) -> str:
    """A short stable key for a case manager's page, so their email is not in the URL."""
    return hashlib.sha256(email.encode()).hexdigest()[:12]


def _parse_time(text: str) -> dt.time:
    minutes = parse_hhmm(text)
    if minutes >= 24 * 60:
        raise ValueError(text)
    return dt.time(minutes // 60, minutes % 60)


class AvailabilityForm(forms.Form):
    """One case manager's week: whether they were away the week before, their needs at
    interview, a daily limit, and per fieldwork day whether they can attend and when.

    Nothing is chosen in advance: a day left unanswered is saved as "not given yet"."""

    returning_from_absence = forms.TypedChoiceField(
        label=gettext_lazy("Were they absent the week before fieldwork?"),
        help_text=gettext_lazy("Their cases are then scheduled later in the week, not on their first day back."),
        choices=YES_NO,
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
        initial="no",
    )
    needs = forms.CharField(
        label=gettext_lazy("Anything to take into account at interview (optional)"),
        help_text=gettext_lazy("For example a disability or other need, so that the inspector can prepare."),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    max_per_day = forms.IntegerField(
        label=gettext_lazy("Most interviews in one day"),
        min_value=1,
        max_value=MAX_INTERVIEWS_PER_DAY,
        initial=DEFAULT_MAX_PER_DAY,
        widget=forms.NumberInput(attrs={"class": "govuk-input govuk-input--width-2", "inputmode": "numeric"}),
    )

    def __init__(self, *args, name: str, days: list[dt.date], **kwargs):
        super().__init__(*args, **kwargs)
        self.name = name
        self.days = days
        self.fields["max_per_day"].error_messages = {
            "required": _("%(name)s: enter the most interviews they can do in one day") % {"name": name},
            "invalid": _("%(name)s: enter the most interviews in one day as a number") % {"name": name},
            "min_value": _("%(name)s: enter a number of interviews a day from 1 to %(max)d")
            % {"name": name, "max": MAX_INTERVIEWS_PER_DAY},
            "max_value": _("%(name)s: enter a number of interviews a day from 1 to %(max)d")
            % {"name": name, "max": MAX_INTERVIEWS_PER_DAY},
        }
        for i, day in enumerate(days):
            day_label = _(DAY_NAMES[day.weekday()])
            self.fields[f"d{i}_available"] = forms.ChoiceField(
                label=_("Can they attend interviews on %(day)s %(date)s?")
                % {"day": day_label, "date": day.strftime("%-d %B")},
                help_text=_("Leave it unanswered if you do not know yet."),
                choices=YES_NO,
                widget=forms.RadioSelect,
                required=False,
            )
            for part, label in TIME_PARTS:
                self.fields[f"d{i}_{part}"] = forms.CharField(
                    label=label,
                    required=False,
                    max_length=20,
                    error_messages={
                        "max_length": _("%(name)s, %(day)s: enter the time as hours and minutes, like 09:30 or 14:00")
                        % {"name": name, "day": day_label}
                    },
                    widget=forms.TextInput(
                        attrs={
                            "class": "govuk-input govuk-input--width-4",
                            "autocomplete": "off",
                            "spellcheck": "false",
                        }
                    ),
                )
            self.fields[f"d{i}_commitments"] = forms.CharField(
                label=_("Other commitments on %(day)s (optional)") % {"day": day_label},
                required=False,
                max_length=500,
            )

    def day_rows(self):
        """[(date, day name, available field, [time fields], commitments field)] for the template."""
        rows = []
        for i, day in enumerate(self.days):
            rows.append(
                (
                    day,
                    _(DAY_NAMES[day.weekday()]),
                    self[f"d{i}_available"],
                    [self[f"d{i}_{p}"] for p, _l in TIME_PARTS],
                    self[f"d{i}_commitments"],
                )
            )
        return rows

    def clean(self):
        cleaned = super().clean()
        entries = []
        for i, day in enumerate(self.days):
            day_label = _(DAY_NAMES[day.weekday()])
            answer = cleaned.get(f"d{i}_available") or ""
            available = answer == "yes"
            if not answer:
                typed = [f"d{i}_{part}" for part, _label in TIME_PARTS] + [f"d{i}_commitments"]
                if any((cleaned.get(name) or "").strip() for name in typed):
                    self.add_error(
                        f"d{i}_available",
                        _("%(name)s, %(day)s: say whether they can attend, or clear what you typed for that day")
                        % {"name": self.name, "day": day_label},
                    )
                continue  # not given yet
            times = {}
            for part, _label in TIME_PARTS:
                text = (cleaned.get(f"d{i}_{part}") or "").strip()
                times[part] = None
                if text and available:
                    try:
                        times[part] = _parse_time(text)
                    except ValueError:
                        self.add_error(
                            f"d{i}_{part}",
                            _("%(name)s, %(day)s: enter the time as hours and minutes, like 09:30 or 14:00")
                            % {"name": self.name, "day": day_label},
                        )
            entry = DayEntry(day=day, available=available, commitments=cleaned.get(f"d{i}_commitments", ""), **times)
            for field, message in day_errors(name=self.name, index=i, entry=entry):
                if field not in self.errors:
                    self.add_error(field, message)
            entries.append(entry)
        cleaned["days"] = entries
        return cleaned

    @staticmethod
    def initial_from(row, days: list[dt.date]) -> dict:
        if row is None:
            return {}
        initial = {
            "returning_from_absence": "yes" if row.returning_from_absence else "no",
            "needs": row.needs,
            "max_per_day": row.max_per_day,
        }
        stored = {d.day: d for d in row.days.all()}
        for i, day in enumerate(days):
            d = stored.get(day)
            if d is None:
                continue
            initial[f"d{i}_available"] = "yes" if d.available else "no"
            for part, _label in TIME_PARTS:
                value = getattr(d, part)
                initial[f"d{i}_{part}"] = value.strftime("%H:%M") if value else ""
            initial[f"d{i}_commitments"] = d.commitments
        return initial


class CaseChoiceForm(forms.Form):
    case = forms.TypedChoiceField(coerce=int, label=gettext_lazy("Case"))

    def __init__(self, *args, cases=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["case"].choices = [("", _("Choose a case"))] + [(c.pk, c.label) for c in cases]
        self.fields["case"].error_messages["required"] = _("Choose a case")
        self.fields["case"].error_messages["invalid_choice"] = _("Choose one of the cases in the sample")


class MoveForm(CaseChoiceForm):
    slot = forms.ChoiceField(label=gettext_lazy("Empty slot"))

    def __init__(self, *args, slots=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slot"].choices = [("", _("Choose an empty slot")), *list(slots)]
        self.fields["slot"].error_messages["required"] = _("Choose the empty slot to move the case to")
        self.fields["slot"].error_messages["invalid_choice"] = _("That slot is no longer empty: choose another")


class SwapForm(forms.Form):
    case_a = forms.TypedChoiceField(coerce=int, label=gettext_lazy("Swap"))
    case_b = forms.TypedChoiceField(coerce=int, label=gettext_lazy("with"))

    def __init__(self, *args, cases=(), **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("case_a", "case_b"):
            self.fields[name].choices = [("", _("Choose a case"))] + [(c.pk, c.label) for c in cases]
            self.fields[name].error_messages["required"] = _("Choose the two cases to swap")
            self.fields[name].error_messages["invalid_choice"] = _("Choose one of the scheduled cases")

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("case_a") and cleaned.get("case_a") == cleaned.get("case_b"):
            self.add_error("case_b", _("Choose two different cases to swap"))
        return cleaned


class PinForm(CaseChoiceForm):
    pinned = forms.TypedChoiceField(coerce=lambda v: v == "1", choices=[("1", "pin"), ("0", "unpin")])


class VersionActionForm(forms.Form):
    expected = forms.IntegerField(required=False, widget=forms.HiddenInput)


class ReturnForm(VersionActionForm):
    note = forms.CharField(
        label=gettext_lazy("What should the YOT change?"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": gettext_lazy("Say what the YOT should change")},
    )


class RecordOnlyForm(CaseChoiceForm):
    record_only = forms.TypedChoiceField(coerce=lambda v: v == "1", choices=[("1", "yes"), ("0", "no")])


class AvailabilityUploadForm(forms.Form):
    upload = forms.FileField(
        label=gettext_lazy("Upload the filled-in spreadsheet"),
        help_text=gettext_lazy("The availability template (.xlsx), up to 5 MB."),
        error_messages={
            "required": gettext_lazy("Choose the filled-in availability spreadsheet"),
            "empty": gettext_lazy("The chosen file is empty"),
        },
    )

    def __init__(self, *args, max_bytes: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.max_bytes = max_bytes

    def clean_upload(self):
        upload = self.cleaned_data["upload"]
        if upload.size > self.max_bytes:  # refused before it is read into memory
            raise forms.ValidationError(
                _("The file is larger than %(mb)d MB. An availability spreadsheet is far smaller.")
                % {"mb": self.max_bytes // (1024 * 1024)}
            )
        return upload
