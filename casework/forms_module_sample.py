"""Forms of the module sample pages (seed 001 §6). They read what was sent; the rules (an FJI with
the module, a final-sample case, a kind and a reason) are ``casework.services.module_sample``'s."""

from __future__ import annotations

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size, Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from casework.models import Case
from casework.services.module_sample import CASE_ID_LIMIT, FINDINGS_LIMIT, KIND_LIMIT, NOTE_LIMIT, REASON_LIMIT, VALUES


class _CaseChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Case) -> str:
        # The HMI Probation reference only: never the child's name or the YOT's case ID.
        return f"{obj.label} ({obj.get_heading_display()}, {obj.order_type or '—'})"


class ModuleCaseForm(forms.Form):
    core_case = _CaseChoice(
        label=_("A case of the core sample (optional)"),
        queryset=Case.objects.none(),
        required=False,
        empty_label=_("No: a case outside the core sample"),
        help_text=_("Choose one only if the case is already in the core sample."),
        error_messages={"invalid_choice": _("Choose one of the cases listed")},
    )
    kind = forms.CharField(
        label=_("Kind of case"),
        max_length=KIND_LIMIT,
        required=False,
        help_text=_(
            "A short description, for example a youth caution or a pre-sentence report. "
            "Do not write the child’s name: the service cannot check for it."
        ),
    )
    yot_case_id = forms.CharField(
        label=_("YOT case ID (optional)"),
        max_length=CASE_ID_LIMIT,
        required=False,
        help_text=_("Only HMI Probation’s team sees it. Do not write the child’s name."),
    )
    reason = forms.CharField(
        label=_("Why is this case in the module’s sample?"),
        max_length=REASON_LIMIT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Do not write the child’s name."),
        error_messages={"required": _("Say why this case is in the module’s sample.")},
    )

    def __init__(self, *args, cases, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["core_case"].queryset = cases
        fields = [
            Field.text("kind", label_size=Size.SMALL),
            Field.text("yot_case_id", label_size=Size.SMALL, field_width=10),
            Field.textarea("reason", label_size=Size.SMALL),
        ]
        if cases is not None and cases.exists():
            fields.insert(0, Field.select("core_case", legend_size=Size.SMALL))
        else:
            del self.fields["core_case"]
        self.helper = FormHelper()
        self.helper.layout = Layout(*fields, Submit("submit", _("Add the case")))


class ModuleCaseRemoveForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is this case no longer in the sample?"),
        max_length=REASON_LIMIT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Do not write the child’s name."),
        error_messages={"required": _("Say why this case is no longer in the sample.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field.textarea("reason", label_size=Size.MEDIUM),
            Submit("submit", _("Remove the case"), css_class="govuk-button--warning"),
        )


class ModuleAnswerForm(forms.Form):
    """One judgement; rendered by the case page's template (one form per question)."""

    value = forms.ChoiceField(
        choices=[(v, v) for v in VALUES],
        error_messages={
            "required": _("Choose Sufficient or Insufficient."),
            "invalid_choice": _("Choose Sufficient or Insufficient."),
        },
    )
    note = forms.CharField(max_length=NOTE_LIMIT, required=False)
    expected_revision = forms.IntegerField(min_value=0)


class ModuleFindingsForm(forms.Form):
    findings = forms.CharField(max_length=FINDINGS_LIMIT, required=False)
    expected_revision = forms.IntegerField(min_value=0)
