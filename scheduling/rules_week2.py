"""Who may do what with an FJI's fieldwork week 2: the one place these rules live.

Seed 001 §5 (week +1): the YOT arranges the meetings the team asks for and sends the schedule to the
lead inspector; the lead inspector (and the SSO, who supports the team) confirms each session and
gives it inspectors. Everyone on site in week 2 sees the schedule: the lead inspector, the HMI
Probation inspectors, the SSO and the partner inspectors (a partner inspector only the sessions
they are in or of their own inspectorate, ``week2.partner_sees``); the YOT manager sees their
inspection's. Local assessors take part in week 1 only (seed 001 §3, §14).

Imported by ``services_week2`` and ``views_week2``, which registers the permissions.
"""

import rules

from inspections.enums import TeamRole
from inspections.models import TeamMembership
from inspections.rules import is_lead_inspector_of, is_sso_of, is_yot_manager_of
from scheduling.rules import is_fji

WEEK2_TEAM_ROLES = (TeamRole.LEAD_INSPECTOR, TeamRole.ASSISTANT_INSPECTOR, TeamRole.SSO, TeamRole.PARTNER_INSPECTOR)
# Who may be given a session: inspectors, not the SSO (seed 001 §3's seven inspection staff).
INSPECTOR_ROLES = (TeamRole.LEAD_INSPECTOR, TeamRole.ASSISTANT_INSPECTOR, TeamRole.PARTNER_INSPECTOR)


def week2_role(user, inspection) -> str | None:
    """The user's role on the week-2 team, or None (not on the team, or a local assessor)."""
    if not user.is_authenticated:
        return None
    roles = set(TeamMembership.objects.filter(inspection=inspection, user_id=user.pk).values_list("role", flat=True))
    return next((r for r in WEEK2_TEAM_ROLES if r in roles), None)


@rules.predicate
def is_on_week2_team(user, inspection) -> bool:
    return week2_role(user, inspection) is not None


@rules.predicate
def is_partner_inspector_of(user, inspection) -> bool:
    return week2_role(user, inspection) == TeamRole.PARTNER_INSPECTOR


confirms_week2 = is_fji & (is_lead_inspector_of | is_sso_of)

rules.add_perm("scheduling.view_week2", is_fji & (is_on_week2_team | is_yot_manager_of))
rules.add_perm("scheduling.propose_week2", is_fji & is_yot_manager_of)
rules.add_perm("scheduling.confirm_week2", confirms_week2)
rules.add_perm("scheduling.cancel_week2", is_fji & (is_yot_manager_of | is_lead_inspector_of | is_sso_of))
rules.add_perm("scheduling.download_week2_calendar", is_fji & is_on_week2_team)
rules.add_perm(
    "scheduling.record_health_questionnaire", is_fji & (is_yot_manager_of | is_lead_inspector_of | is_sso_of)
)
# The Friday presentation's invitees: the YOT invites them (seed 001 §5 "YOTs invite to this meeting").
rules.add_perm("scheduling.name_week2_invitees", is_fji & (is_yot_manager_of | is_lead_inspector_of | is_sso_of))
