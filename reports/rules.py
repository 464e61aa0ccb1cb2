"""Who may see and do what with reports: the one place these rules live.

- The reports page: whoever may see the inspection (its team, and its YOT manager once announced).
- The draft report (SQS letter, FJI report, poster): the inspection's team until the lead inspector
  sends it for factual accuracy, then also the YOT manager of that YOT. "The team" is everyone on
  the inspection: seed 001 §12 circulates the draft "to those inspectors who were present at the
  inspection for comment" before it goes to the inspected body.
- The chart pack: only the YOT manager of that YOT and the inspection's HMI Probation staff
  (seed 000 §3.5: "for internal use solely within the YOT"); local assessors come from another YOT.
- Strangers get 404 from ``inspections.selectors.get_inspection_for``; people who may see the
  inspection but not this report get 403.
"""

import rules

from inspections.enums import StaffRole
from inspections.rules import is_hmip_staff_on, is_lead_inspector_of, is_on_team, is_yot_manager_of
from reports.enums import JobKind, ReportStage


@rules.predicate
def report_is_sent(user, inspection) -> bool:
    return _has_report(inspection) and inspection.report.stage in (ReportStage.FACTUAL_ACCURACY, ReportStage.PUBLISHED)


@rules.predicate
def report_is_published(user, inspection) -> bool:
    return _has_report(inspection) and inspection.report.stage == ReportStage.PUBLISHED


@rules.predicate
def report_in_factual_accuracy(user, inspection) -> bool:
    return _has_report(inspection) and inspection.report.stage == ReportStage.FACTUAL_ACCURACY


def _has_report(inspection) -> bool:
    from reports.models import Report

    try:
        return inspection.report is not None
    except Report.DoesNotExist:
        return False


@rules.predicate
def is_partner_inspector_on(user, inspection) -> bool:
    from inspections.enums import TeamRole
    from inspections.rules import _roles_on

    return TeamRole.PARTNER_INSPECTOR in _roles_on(user, inspection)


@rules.predicate
def is_hmip_staff(user) -> bool:
    return user.is_authenticated and user.role in (
        StaffRole.LEAD_INSPECTOR,
        StaffRole.ASSISTANT_INSPECTOR,
        StaffRole.SSO,
    )


@rules.predicate
def is_lead_inspector(user) -> bool:
    return user.is_authenticated and user.role == StaffRole.LEAD_INSPECTOR


may_see_draft = is_on_team | (is_yot_manager_of & report_is_sent)
may_see_chart_pack = is_hmip_staff_on | is_yot_manager_of

# Object: Inspection
rules.add_perm("reports.view_reports", is_on_team | is_yot_manager_of)
rules.add_perm("reports.view_draft", may_see_draft)
rules.add_perm("reports.view_chart_pack", may_see_chart_pack)
# The press notice is embargoed until publication: the team, and the YOT manager once published.
rules.add_perm("reports.view_press_notice", is_on_team | (is_yot_manager_of & report_is_published))
rules.add_perm("reports.generate_report", is_lead_inspector_of)
rules.add_perm("reports.generate_chart_pack", is_hmip_staff_on)
rules.add_perm("reports.edit_report", is_lead_inspector_of)
rules.add_perm("reports.send_report", is_lead_inspector_of)
rules.add_perm("reports.comment_report", is_yot_manager_of & report_in_factual_accuracy)
rules.add_perm("reports.resolve_comment", is_lead_inspector_of)
rules.add_perm("reports.publish_report", is_lead_inspector_of)
rules.add_perm("reports.mark_good_practice", is_lead_inspector_of)
# The FJI improvement plan (reports/improvement.py): the YOT sends it, HMI Probation's staff on the
# inspection see it and the lead inspector decides (with the YJB, through its private link).
rules.add_perm("reports.view_improvement_plan", is_hmip_staff_on | is_yot_manager_of)
rules.add_perm("reports.send_improvement_plan", is_yot_manager_of)
rules.add_perm("reports.decide_improvement_plan", is_lead_inspector_of)
# The views of children, parents and carers, and victims (reports/voices.py): recorded and read by
# HMI Probation's staff and the partner inspectors of the inspection; never the YOT or local assessors.
rules.add_perm("reports.record_service_users", is_hmip_staff_on | is_partner_inspector_on)
# Disagreements between the inspectors on the report (reports/disputes.py): the team only, never the YOT.
rules.add_perm("reports.view_disputes", is_on_team)
rules.add_perm("reports.settle_dispute", is_lead_inspector_of)
# Object: none (across inspections)
rules.add_perm("reports.generate_aggregate", is_lead_inspector)
rules.add_perm("reports.view_aggregate", is_hmip_staff)

# Which permission a job's files need, by the job's kind.
FILE_PERMISSION = {
    JobKind.DRAFT: "reports.view_draft",
    JobKind.FJI: "reports.view_draft",
    JobKind.POSTER: "reports.view_draft",
    JobKind.CHART_PACK: "reports.view_chart_pack",
    JobKind.PRESS: "reports.view_press_notice",
}
GENERATE_PERMISSION = {
    JobKind.DRAFT: "reports.generate_report",
    JobKind.FJI: "reports.generate_report",
    JobKind.POSTER: "reports.generate_report",
    JobKind.CHART_PACK: "reports.generate_chart_pack",
    JobKind.PRESS: "reports.generate_report",
}
