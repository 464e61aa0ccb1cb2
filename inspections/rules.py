"""Who may do what to an inspection: the one place these rules live.

Views ask through ``inspections.selectors.get_inspection_for`` which turns "may not see"
into 404 (a stranger learns nothing, not even that the inspection exists) and "may see
but may not do this" into 403.
"""

import rules

from inspections.enums import HMIP_TEAM_ROLES, IIAKind, StaffRole, Status, TeamRole


def _roles_on(user, inspection) -> set[str]:
    if not user.is_authenticated:
        return set()
    cache = getattr(inspection, "_roles_cache", None)
    if cache is None:
        cache = {}
        inspection._roles_cache = cache
    if user.pk not in cache:
        cache[user.pk] = set(inspection.team.filter(user_id=user.pk).values_list("role", flat=True))
    return cache[user.pk]


@rules.predicate
def is_on_team(user, inspection) -> bool:
    return bool(_roles_on(user, inspection))


@rules.predicate
def is_hmip_staff_on(user, inspection) -> bool:
    return bool(_roles_on(user, inspection) & {r.value for r in HMIP_TEAM_ROLES})


@rules.predicate
def is_lead_inspector_of(user, inspection) -> bool:
    return TeamRole.LEAD_INSPECTOR in _roles_on(user, inspection)


@rules.predicate
def is_sso_of(user, inspection) -> bool:
    return TeamRole.SSO in _roles_on(user, inspection)


@rules.predicate
def is_yot_manager_of(user, inspection) -> bool:
    # Short notice (seed 000 §2): the YOT sees nothing until the announcement is recorded.
    return (
        user.is_authenticated
        and user.role == StaffRole.YOT_MANAGER
        and user.yot_id is not None
        and user.yot_id == inspection.yot_id
        and inspection.status != Status.PLANNED
    )


@rules.predicate
def is_lead_inspector(user) -> bool:
    return user.is_authenticated and user.role == StaffRole.LEAD_INSPECTOR


@rules.predicate
def document_is_structure_chart(user, document) -> bool:
    return document.kind == IIAKind.STRUCTURE_CHART


@rules.predicate
def may_see_documents_inspection(user, document) -> bool:
    inspection = document.inspection
    # IIA goes to the LI and SSO (seed 000 §10.2); the YOT manager sees what their YOT sent.
    return is_lead_inspector_of(user, inspection) or is_sso_of(user, inspection) or is_yot_manager_of(user, inspection)


@rules.predicate
def is_team_member_of_documents_inspection(user, document) -> bool:
    return is_on_team(user, document.inspection)


rules.add_perm("inspections.view_inspection", is_on_team | is_yot_manager_of)
rules.add_perm("inspections.add_inspection", is_lead_inspector)
rules.add_perm("inspections.change_inspection", is_lead_inspector_of)
rules.add_perm("inspections.announce_inspection", is_lead_inspector_of)
# Seed 000 §10.1 and §10.4: the YOT confirms and supplies contact details (lead members, the PCC)
# so the report can be copied to them.
rules.add_perm("inspections.change_contacts", is_lead_inspector_of | is_yot_manager_of)
rules.add_perm("inspections.change_status", is_lead_inspector_of)
rules.add_perm("inspections.view_audit", is_hmip_staff_on)
# Issue 11 §6: who was shown the children's names and dates of birth, per inspection.
rules.add_perm("inspections.view_identity_log", is_lead_inspector_of)
rules.add_perm("inspections.mark_hmip_milestone", is_lead_inspector_of | is_sso_of)
rules.add_perm("inspections.mark_yot_milestone", is_yot_manager_of | is_lead_inspector_of)
rules.add_perm("inspections.upload_iia", is_yot_manager_of)
rules.add_perm("inspections.list_iia", is_on_team | is_yot_manager_of)
# Other team members need only the structure chart (seed 000 §10.2 NB).
rules.add_perm(
    "inspections.view_document",
    may_see_documents_inspection | (document_is_structure_chart & is_team_member_of_documents_inspection),
)
# Issue 9 §2: the LI and SSO see every email the service sent about their inspection, and can send
# again one that could not be sent.
rules.add_perm("inspections.view_notifications", is_lead_inspector_of | is_sso_of)


@rules.predicate
def is_administrator(user) -> bool:
    return user.is_authenticated and user.is_administrator


# Issue 9 §1: HMI Probation administrators manage people and YOTs in the service.
rules.add_perm("inspections.manage_people", is_administrator)
