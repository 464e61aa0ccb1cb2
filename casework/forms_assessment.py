"""Forms of the assessor's pages. The answer form only reads what was sent: the bank's rules
(option labels, N/A, numbers) are applied by ``assessment_answer`` so that every error names its
question the same way, whichever page the answer came from."""

from __future__ import annotations

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size, Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from casework.domain.bank import Question
from casework.enums import AlertKind
from casework.services.assessment import ASSESSOR_ROLES
from inspections.models import Inspection, User


class _Labels(forms.Field):
    """Every value sent under the name (checkboxes), unvalidated."""

    widget = forms.SelectMultiple

    def to_python(self, value):
        return [str(item) for item in value or []]


class AnswerForm(forms.Form):
    """One question's answer and the revision the page showed (0: no answer yet)."""

    expected_revision = forms.IntegerField(min_value=0, widget=forms.HiddenInput)

    def __init__(self, *args, question: Question, factors: tuple[str, ...] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.question = question
        # A question asked once per factor (3.7.1, 4.12): one radio group per factor, named
        # "value-<n>" after the factor's place among the options of the question it follows (2.1.0).
        self.factors = factors
        if question.per_answer_of is None:
            self.fields["value"] = (
                _Labels(required=False) if question.multiple else forms.CharField(required=False, strip=False)
            )
        for number, _factor in enumerate(factors, start=1):
            self.fields[f"value-{number}"] = forms.CharField(required=False, strip=False)

    def raw_value(self):
        """What the assessor gave: a list for a multiple choice, a dict of factor to answer for a
        question asked once per factor (only the factors sent), else a str."""
        if self.factors:
            return {
                factor: self.data.get(f"value-{number}", "")
                for number, factor in enumerate(self.factors, start=1)
                if f"value-{number}" in self.data
            }
        if self.is_bound and not self.is_valid():
            return self.data.getlist("value") if self.question.multiple else self.data.get("value", "")
        return self.cleaned_data.get("value")


class AllocateForm(forms.Form):
    assessor = forms.ModelChoiceField(
        label=_("Allocate to"), queryset=User.objects.none(), required=False, empty_label=_("Not allocated")
    )

    def __init__(self, *args, inspection: Inspection, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assessor"].queryset = User.objects.filter(
            memberships__inspection=inspection, memberships__role__in=ASSESSOR_ROLES
        ).distinct()


class AlertForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Is this a Concern or an Alert?"),
        choices=AlertKind.choices,
        widget=forms.RadioSelect,
        help_text=_(
            "An Alert is for practice that needs urgent remedial action;"
            " a Concern for significant worries that are less urgent."
        ),
        error_messages={"required": _("Choose whether this is a Concern or an Alert")},
    )
    description = forms.CharField(
        label=_("What needs to be addressed?"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=5000,
        help_text=_(
            "Describe the public protection, safeguarding or other practice that concerns you."
            " Do not write the child's name."
        ),
        error_messages={"required": _("Describe what needs to be addressed, and how urgently")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field.radios("kind", legend_size=Size.MEDIUM),
            Field.textarea("description", label_size=Size.MEDIUM),
            Submit("submit", _("Raise and notify the lead inspector")),
        )


class AlertActionForm(forms.Form):
    action_taken = forms.CharField(
        label=_("Action taken"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
        error_messages={"required": _("Describe the action that was taken")},
    )


class ReviewForm(forms.Form):
    """The reviewer's value for one judgement; a reason is needed when it differs (the service checks).

    A judgement asked once per factor sends one value per factor, "reviewed_value-<n>" (as on the
    answer form); ``reviewed()`` gives them as a dict of factor to value.
    """

    reviewed_value = forms.CharField(error_messages={"required": _("Choose the judgement")})
    reason = forms.CharField(required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, factors: tuple[str, ...] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.factors = factors
        if factors:
            self.fields["reviewed_value"].required = False
            for number, _factor in enumerate(factors, start=1):
                self.fields[f"reviewed_value-{number}"] = forms.CharField(required=False)

    def reviewed(self):
        if not self.factors:
            return self.cleaned_data["reviewed_value"]
        return {
            factor: self.cleaned_data[f"reviewed_value-{number}"]
            for number, factor in enumerate(self.factors, start=1)
            if self.cleaned_data.get(f"reviewed_value-{number}")
        }
