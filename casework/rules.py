"""Who may do what with cases, long-lists and assessments: the one place these rules live.

- A local assessor sees only the cases allocated to them; the inspection's HMI Probation
  staff see all its cases (issue 6 §9).
- Names and dates of birth: only HMI Probation staff on the inspection and the YOT manager of
  that YOT (issue 3 §5). Everyone else sees the HMI Probation reference.
- A YOT manager sees no judgement (issue 6 §9).
- A partner inspector (FJI) sees only the cases the lead inspector chose for their own inspectorate
  (seed 001 §7 a, ``PartnerCase``), read-only; never another inspectorate's, never a name.
- The additional modules' own cases (FJI, seed 001 §6, ``ModuleCase``) are HMI Probation's: the
  inspectors manage and judge them, the SSO reads them; local assessors and partners are refused.
"""

import rules

from casework.models import PartnerCase
from inspections.enums import TeamRole
from inspections.rules import _roles_on, is_hmip_staff_on, is_lead_inspector_of, is_sso_of, is_yot_manager_of

INSPECTORS = {TeamRole.LEAD_INSPECTOR.value, TeamRole.ASSISTANT_INSPECTOR.value}


@rules.predicate
def is_inspector_on(user, inspection) -> bool:
    return bool(_roles_on(user, inspection) & INSPECTORS)


def partner_inspectorate_on(user, inspection) -> str | None:
    """The inspectorate a partner inspector on this inspection's team speaks for (else None)."""
    if TeamRole.PARTNER_INSPECTOR.value not in _roles_on(user, inspection) or not user.inspectorate:
        return None
    return user.inspectorate


@rules.predicate
def is_partner_inspector_on(user, inspection) -> bool:
    return partner_inspectorate_on(user, inspection) is not None


@rules.predicate
def is_partner_for_case(user, case) -> bool:
    """A partner inspector of the case's inspection, and the case is in their inspectorate's subset."""
    inspectorate = partner_inspectorate_on(user, case.inspection)
    if inspectorate is None:
        return False
    return PartnerCase.objects.filter(case_id=case.pk, inspectorate=inspectorate).exists()


@rules.predicate
def is_allocated_to_case(user, case) -> bool:
    return user.is_authenticated and case.assessor_id == user.pk and bool(_roles_on(user, case.inspection))


@rules.predicate
def is_hmip_staff_on_case_inspection(user, case) -> bool:
    return is_hmip_staff_on(user, case.inspection)


@rules.predicate
def is_inspector_on_case_inspection(user, case) -> bool:
    return is_inspector_on(user, case.inspection)


@rules.predicate
def is_lead_inspector_of_case_inspection(user, case) -> bool:
    return is_lead_inspector_of(user, case.inspection)


@rules.predicate
def supervises_the_cases_assessor(user, case) -> bool:
    """The supervising inspector of the local assessor the case is allocated to (seed 000 §4)."""
    if not user.is_authenticated or case.assessor_id is None:
        return False
    return case.inspection.team.filter(
        user_id=case.assessor_id, role=TeamRole.LOCAL_ASSESSOR, supervisor_id=user.pk
    ).exists()


@rules.predicate
def case_is_allocated_to_a_local_assessor(user, case) -> bool:
    return (
        case.assessor_id is not None
        and case.inspection.team.filter(user_id=case.assessor_id, role=TeamRole.LOCAL_ASSESSOR).exists()
    )


# Cases and assessments (object: Case)
rules.add_perm("casework.view_case", is_hmip_staff_on_case_inspection | is_allocated_to_case | is_partner_for_case)
rules.add_perm("casework.assess_case", is_allocated_to_case | is_inspector_on_case_inspection)
rules.add_perm(
    "casework.review_case",
    case_is_allocated_to_a_local_assessor & (supervises_the_cases_assessor | is_lead_inspector_of_case_inspection),
)
rules.add_perm("casework.raise_alert", is_allocated_to_case | is_inspector_on_case_inspection)
rules.add_perm("casework.resolve_alert", is_lead_inspector_of_case_inspection)

# Inspection-wide (object: Inspection)
rules.add_perm("casework.view_child_identity", is_hmip_staff_on | is_yot_manager_of)
rules.add_perm("casework.view_scores", is_hmip_staff_on)
rules.add_perm("casework.view_moderation", is_inspector_on)
rules.add_perm("casework.upload_long_list", is_yot_manager_of)
rules.add_perm("casework.view_long_list", is_hmip_staff_on | is_yot_manager_of)
rules.add_perm("casework.manage_sample", is_sso_of | is_lead_inspector_of)
rules.add_perm("casework.view_sample", is_hmip_staff_on | is_yot_manager_of)
# Seed 001 §7 a: the inspectors choose each partner inspectorate's cases; a partner inspector sees
# the list of their own inspectorate's (the page shows each what they may see).
rules.add_perm("casework.view_partner_cases", is_inspector_on | is_partner_inspector_on)
rules.add_perm("casework.manage_partner_cases", is_inspector_on)
# Seed 001 §6: the additional modules' own sample is HMI Probation's (casework/services/module_sample.py):
# the inspectors add, remove and judge module cases; the SSO reads them; nobody else sees them.
rules.add_perm("casework.view_module_sample", is_hmip_staff_on)
rules.add_perm("casework.manage_module_sample", is_inspector_on)
