from django.db import models
from django.utils.translation import gettext_lazy as _


class Heading(models.TextChoices):
    """Seed 000 Appendix A: the long-list's three headings."""

    FIRST_TIER = "first_tier", _("1st tier")
    COMMUNITY = "community", _("Community")
    CUSTODIAL = "custodial", _("Custodial")


class CaseStatus(models.TextChoices):
    SELECTED = "selected", _("Selected")
    REMOVED = "removed", _("Removed")


class SampleChangeKind(models.TextChoices):
    SELECTED = "selected", _("Sample selected")
    SWAPPED = "swapped", _("Case swapped")
    REMOVED = "removed", _("Case removed")
    ADDED = "added", _("Case added")
    FINALISED = "finalised", _("Sample made final")


class AlertKind(models.TextChoices):
    """Seed 000 §13: the HMI Probation Concern or Alert procedures."""

    CONCERN = "concern", _("Concern")
    ALERT = "alert", _("Alert")


class AlertStatus(models.TextChoices):
    OPEN = "open", _("Open: action required")
    ACTIONED = "actioned", _("Action taken")


class LongListReadStatus(models.TextChoices):
    """A large long-list read by a worker (issue 15 §2): waiting, being read, and how it ended."""

    QUEUED = "queued", _("Waiting to be read")
    RUNNING = "running", _("Being read")
    STORED = "stored", _("Accepted")
    HELD = "held", _("Read: check how it was read")
    REFUSED = "refused", _("Not accepted")
    FAILED = "failed", _("Could not be read")


class PartnerReason(models.TextChoices):
    """Why a case is in a partner inspectorate's subset: the five characteristics of seed 001 §7 a."""

    NEED = "need", _("A high level of need in this specialist area")
    REFERRAL = "referral", _("A referral has been made for specialist input")
    DEFICIT = "deficit", _("A shortfall in this area that is worth looking into further")
    RISK = "risk", _("High risk of harm to others or high vulnerability")
    GOOD_PRACTICE = "good_practice", _("Good practice in this specialist area")
