"""Forms of the partner cases pages (seed 001 §7 a). They read what was sent; the rules (an FJI, the
country's inspectorates, a final-sample case, at least one reason) are ``casework.services.partner``'s."""

from __future__ import annotations

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size, Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from casework.enums import PartnerReason
from casework.models import Case
from casework.services.partner import NOTE_LIMIT, REASON_LIMIT


class _CaseChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Case) -> str:
        # The HMI Probation reference only: never the child's name or the YOT's case ID.
        return f"{obj.label} ({obj.get_heading_display()}, {obj.order_type or '—'})"


class PartnerCaseForm(forms.Form):
    """Add a case to an inspectorate's cases, or change why it is there."""

    case = _CaseChoice(
        label=_("Which case?"),
        queryset=Case.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={"required": _("Choose the case"), "invalid_choice": _("Choose one of the cases listed")},
    )
    reasons = forms.MultipleChoiceField(
        label=_("Why is this case for this inspectorate?"),
        choices=PartnerReason.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Select all that apply."),
        error_messages={"required": _("Choose at least one reason why this case is for this inspectorate.")},
    )
    note = forms.CharField(
        label=_("Note for the partner inspector (optional)"),
        required=False,
        max_length=NOTE_LIMIT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What to look at in this case. Do not write the child's name."),
    )

    def __init__(self, *args, cases, fixed_case: Case | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["case"].queryset = cases
        fields = [Field.checkboxes("reasons", legend_size=Size.MEDIUM), Field.textarea("note", label_size=Size.SMALL)]
        if fixed_case is not None:
            # Changing a case already chosen: the case is the page's, not a choice.
            self.fields["case"].widget = forms.HiddenInput()
            self.fields["case"].initial = fixed_case.pk
        else:
            fields.insert(0, Field.radios("case", legend_size=Size.MEDIUM))
        self.helper = FormHelper()
        self.helper.layout = Layout(*fields, Submit("submit", _("Save")))
        if fixed_case is not None:
            self.helper.layout.insert(0, Field("case"))


class PartnerRemoveForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is this case no longer for this inspectorate?"),
        max_length=REASON_LIMIT,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Say why this case is no longer for this inspectorate.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field.textarea("reason", label_size=Size.MEDIUM),
            Submit("submit", _("Remove the case"), css_class="govuk-button--warning"),
        )


class PartnerConfirmForm(forms.Form):
    """The suggested cases ticked on the partner cases page (rendered there as GOV.UK checkboxes)."""

    case = forms.TypedMultipleChoiceField(
        coerce=int,
        error_messages={
            "required": _("Choose at least one suggested case to add."),
            "invalid_choice": _("A case you chose is no longer suggested, or is already chosen. Check the list again."),
        },
    )

    def __init__(self, *args, suggestions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["case"].choices = [(s.case.pk, s.case.label) for s in suggestions]
