from django.db import models
from django.utils.translation import gettext_lazy as _


class Country(models.TextChoices):
    ENGLAND = "england", _("England")
    WALES = "wales", _("Wales")


class Programme(models.TextChoices):
    SQS = "sqs", _("Short Quality Screening (SQS)")
    FJI = "fji", _("Full Joint Inspection (FJI)")


class StaffRole(models.TextChoices):
    """What a person does in the organisation; their part in one inspection is a TeamRole."""

    LEAD_INSPECTOR = "lead_inspector", _("Lead inspector")
    ASSISTANT_INSPECTOR = "assistant_inspector", _("Assistant inspector")
    LOCAL_ASSESSOR = "local_assessor", _("Local assessor")
    SSO = "sso", _("Support services officer")
    YOT_MANAGER = "yot_manager", _("YOT manager")
    PARTNER_INSPECTOR = "partner_inspector", _("Partner inspector")
    # Manages people and YOTs in the service (issue 9); sees no inspection unless on its team.
    ADMINISTRATOR = "administrator", _("HMI Probation administrator")


class TeamRole(models.TextChoices):
    LEAD_INSPECTOR = "lead_inspector", _("Lead inspector")
    ASSISTANT_INSPECTOR = "assistant_inspector", _("Assistant inspector")
    LOCAL_ASSESSOR = "local_assessor", _("Local assessor")
    PARTNER_INSPECTOR = "partner_inspector", _("Partner inspector")
    SSO = "sso", _("Support services officer")


# HMI Probation staff on an inspection: everyone on the team except partner inspectors
# and local assessors (peers from another YOT, seed 000 §4).
HMIP_TEAM_ROLES = (TeamRole.LEAD_INSPECTOR, TeamRole.ASSISTANT_INSPECTOR, TeamRole.SSO)


class Status(models.TextChoices):
    """Issue 2: announced → long-list received → … → published; 'planned' comes before the call."""

    PLANNED = "planned", _("Planned")
    ANNOUNCED = "announced", _("Announced")
    LONG_LIST_RECEIVED = "long_list_received", _("Long-list received")
    SAMPLE_SELECTED = "sample_selected", _("Sample selected")
    SCHEDULE_FINAL = "schedule_final", _("Schedule final")
    FIELDWORK = "fieldwork", _("Fieldwork")
    DRAFT_REPORT = "draft_report", _("Draft report")
    FACTUAL_ACCURACY = "factual_accuracy", _("Factual accuracy check")
    PUBLISHED = "published", _("Published")


STATUS_ORDER = [s.value for s in Status]


class Module(models.TextChoices):
    """FJI additional modules, seed 001 §6: each inspection has one or two."""

    EARLY_PREVENTION = "early_prevention", _("Early Prevention & Out of Court Disposals")
    COURT_WORK = "court_work", _("Court Work")
    INTERVENTIONS = "interventions", _("Interventions")
    DRUG_ALCOHOL = "drug_alcohol", _("Drug and Alcohol Work")
    GOVERNANCE = "governance", _("Governance")
    PARENTS_CARERS = "parents_carers", _("Parents & Carers")
    VICTIMS_RJ = "victims_rj", _("Victims & Restorative Justice")


class Inspectorate(models.TextChoices):
    """Partner inspectorates of an FJI, seed 001 §3 (HMI Probation leads; England and Wales differ)."""

    CQC = "cqc", _("Care Quality Commission")
    OFSTED = "ofsted", _("Ofsted")
    HMIC = "hmic", _("HMI Constabulary")
    HIW = "hiw", _("Healthcare Inspectorate Wales")
    CSSIW = "cssiw", _("Care and Social Services Inspectorate Wales")
    ESTYN = "estyn", _("Estyn")


PARTNER_INSPECTORATES = {
    Country.ENGLAND: (Inspectorate.CQC, Inspectorate.OFSTED, Inspectorate.HMIC),
    Country.WALES: (Inspectorate.HIW, Inspectorate.CSSIW, Inspectorate.ESTYN, Inspectorate.HMIC),
}


class ContactRole(models.TextChoices):
    CHIEF_EXECUTIVE = "chief_executive", _("Local authority chief executive")
    BOARD_CHAIR = "board_chair", _("Chair of the YOT Management Board")
    DIRECTOR_CHILDRENS_SERVICES = "director_childrens_services", _("Director of Children's Services")
    DIRECTOR_SOCIAL_CARE = "director_social_care", _("Director of Social Care Services")
    YOT_MANAGER = "yot_manager", _("YOT manager")
    LEAD_MEMBER_CHILDREN = "lead_member_children", _("Lead elected member for children's services")
    LEAD_MEMBER_CRIME = "lead_member_crime", _("Lead elected member for crime and disorder")
    POLICE_CRIME_COMMISSIONER = "police_crime_commissioner", _("Police and crime commissioner")
    STRATEGIC_MANAGER = "strategic_manager", _("Key strategic manager")
    # Approves an FJI's improvement plan with HMI Probation and monitors it (seed 001 §12).
    YJB = "yjb", _("Youth Justice Board contact")
    OTHER = "other", _("Other")


class IIAKind(models.TextChoices):
    """Information in Advance, seed 000 §10.2. Only the structure chart is required."""

    STRUCTURE_CHART = "structure_chart", _("YOT structure chart (with names) and strategic chart")
    PUBLIC_PROTECTION = "public_protection", _("Public protection policy and procedures")
    CHILD_PROTECTION = "child_protection", _("Child protection and managing vulnerability policy and procedures")
    COMPLIANCE = "compliance", _("Compliance, engagement and enforcement policy and procedures")
    MANAGEMENT_OVERSIGHT = "management_oversight", _("Management oversight of practice policy and procedures")
    QUALITY_ASSURANCE = "quality_assurance", _("Quality assurance procedure for casework and court reports")
    OTHER = "other", _("Other document")


REQUIRED_IIA = (IIAKind.STRUCTURE_CHART,)


class Language(models.TextChoices):
    """A person's or contact's preferred language: every email to them uses it (Welsh Language Standards)."""

    ENGLISH = "en-gb", _("English")
    WELSH = "cy", _("Welsh")


class NotificationStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting to be sent")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Could not be sent")
