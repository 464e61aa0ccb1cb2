"""Who may do what with an inspection's schedule: the one place these rules live.

SQS (seed 000 §10.4): HMI Probation (the SSO, and the lead inspector) builds the schedule
from the case managers' availability the YOT manager enters, sends it to the YOT, and makes
it final. FJI (seed 001 §8): the YOT fills the week 1 template itself and sends it as a
draft; the lead inspector approves it or returns it. Everyone else on the team sees the
final schedule; the YOT manager sees what was sent to them.
"""

import rules

from inspections.enums import Programme
from inspections.rules import is_lead_inspector_of, is_on_team, is_sso_of, is_yot_manager_of


@rules.predicate
def is_sqs(user, inspection) -> bool:
    return inspection.programme == Programme.SQS


@rules.predicate
def is_fji(user, inspection) -> bool:
    return inspection.programme == Programme.FJI


is_hmip_builder = is_sso_of | is_lead_inspector_of
builds_schedule = (is_sqs & is_hmip_builder) | (is_fji & is_yot_manager_of)

rules.add_perm("scheduling.view_schedule", is_on_team | is_yot_manager_of)
rules.add_perm("scheduling.edit_schedule", builds_schedule)
rules.add_perm("scheduling.send_schedule", builds_schedule)
rules.add_perm("scheduling.finalise_schedule", (is_sqs & is_hmip_builder) | (is_fji & is_lead_inspector_of))
rules.add_perm("scheduling.return_schedule", is_fji & is_lead_inspector_of)
rules.add_perm("scheduling.view_availability", is_yot_manager_of | is_hmip_builder)
rules.add_perm("scheduling.enter_availability", is_yot_manager_of)
rules.add_perm("scheduling.mark_record_only", is_yot_manager_of | is_hmip_builder)
# Issue 12 §8: a team member downloads their own week as a calendar (nobody else's); the case
# managers' invitations go to the YOT manager, who hands them out, and to HMI Probation's builders.
rules.add_perm("scheduling.download_own_calendar", is_on_team)
rules.add_perm("scheduling.download_invitations", is_yot_manager_of | is_hmip_builder)
