"""Forms of the long-list and sample pages (issue 3). All input comes through these."""

from __future__ import annotations

from crispy_forms_gds.choices import Choice
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size, Submit
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from casework.enums import Heading
from casework.longlist import heading_quotas
from casework.longlist.selection import STANDARD_SIZES
from casework.models import LongListEntry
from casework.services.longlist import MAX_BYTES
from casework.services.sample import DEFAULT_SIZE, REASON_LIMIT

MEGABYTE = 1024 * 1024


def _helper(*fields, submit: str) -> FormHelper:
    helper = FormHelper()
    helper.layout = Layout(*fields, Submit("submit", submit))
    return helper


class LongListUploadForm(forms.Form):
    upload = forms.FileField(
        label=_("Choose the long-list file"),
        help_text=_("The template filled in (.xlsx), or a CSV file with the same columns and a Heading column first."),
        error_messages={
            "required": _("Choose the long-list file to upload"),
            "empty": _("The chosen file is empty"),
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["upload"].widget.attrs["accept"] = ".xlsx,.csv"
        self.helper = _helper(Field("upload"), submit=_("Upload the long-list"))
        self.helper.form_enctype = "multipart/form-data"

    def clean_upload(self):
        upload = self.cleaned_data["upload"]
        # Checked from the size Django reports, before anything is read into memory.
        if upload.size > MAX_BYTES:
            raise ValidationError(
                _(
                    "%(name)s is %(size).1f MB, larger than the %(limit)d MB limit. A long-list should be far "
                    "smaller: check that it holds only the long-list."
                )
                % {"name": upload.name, "size": upload.size / MEGABYTE, "limit": MAX_BYTES // MEGABYTE}
            )
        return upload


def _size_choices() -> list[Choice]:
    choices = []
    for size in STANDARD_SIZES:
        quotas = heading_quotas(size)
        mix = _("%(first)d 1st tier, %(community)d community, %(custodial)d custodial") % {
            "first": quotas["first_tier"],
            "community": quotas["community"],
            "custodial": quotas["custodial"],
        }
        who = {
            14: _("A few of the smallest YOTs."),
            20: _("Most YOTs."),
            34: _("Larger YOTs."),
            47: _("The largest YOTs."),
        }[size]
        choices.append(Choice(size, _("%(n)d cases") % {"n": size}, hint=f"{who} {mix}."))
    return choices


class SampleSelectForm(forms.Form):
    size = forms.TypedChoiceField(
        label=_("Sample size"),
        coerce=int,
        widget=forms.RadioSelect,
        help_text=_(
            "20 cases in most YOTs, 14 in a few of the smallest, 34 or 47 in larger YOTs. "
            "The mix of headings is scaled from 4, 10 and 6 of 20, and adjusted where a heading has too few cases."
        ),
        error_messages={"required": _("Choose the sample size")},
    )

    def __init__(self, *args, replacing: bool = False, **kwargs):
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("size", DEFAULT_SIZE)
        super().__init__(*args, **kwargs)
        self.fields["size"].choices = _size_choices()
        self.helper = _helper(
            Field.radios("size", legend_size=Size.MEDIUM, small=True),
            submit=_("Select the sample again") if replacing else _("Select the sample"),
        )


def _entry_label(entry: LongListEntry) -> str:
    label = _("%(id)s: %(order)s, sentenced %(date)s, %(manager)s, RoSH %(rosh)s, vulnerability %(vuln)s") % {
        "id": entry.case_id,
        "order": entry.order_type,
        "date": entry.sentence_date.strftime("%d/%m/%Y"),
        "manager": entry.case_manager,
        "rosh": entry.rosh,
        "vuln": entry.vulnerability,
    }
    if entry.suitability_note:
        label += " " + str(_("(noted as possibly unsuitable)"))
    return label


class _ReasonMixin:
    def _reason_field(self, label):
        return forms.CharField(
            label=label,
            max_length=REASON_LIMIT,
            widget=forms.Textarea(attrs={"rows": 3}),
            error_messages={
                "required": _("Enter the reason for the change"),
                "max_length": _("The reason must be %(limit_value)d characters or fewer"),
            },
        )


class CaseEntryForm(_ReasonMixin, forms.Form):
    """Swap a case for a long-list entry, or add an entry: the entry and the reason."""

    entry = forms.TypedChoiceField(label=_("Case from the long-list"), coerce=int)

    def __init__(self, *args, candidates, entry_label: str, reason_label: str, submit: str, **kwargs):
        super().__init__(*args, **kwargs)
        groups: dict[str, list[tuple[int, str]]] = {h.value: [] for h in Heading}
        for entry in candidates:
            groups[entry.heading].append((entry.pk, _entry_label(entry)))
        self.fields["entry"].label = entry_label
        self.fields["entry"].choices = [("", _("Choose a case"))] + [
            (str(Heading(h).label), options) for h, options in groups.items() if options
        ]
        self.fields["entry"].error_messages["required"] = _("Choose a case from the long-list")
        self.fields["entry"].error_messages["invalid_choice"] = _("Choose a case from the long-list")
        self.fields["reason"] = self._reason_field(reason_label)
        self.candidates = {e.pk: e for e in candidates}
        self.helper = _helper(Field("entry"), Field("reason"), submit=submit)

    def clean_entry(self):
        return self.candidates[self.cleaned_data["entry"]]


class CaseRemoveForm(_ReasonMixin, forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"] = self._reason_field(_("Why is the case being removed?"))
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field("reason"), Submit("submit", _("Remove the case"), css_class="govuk-button--warning")
        )
