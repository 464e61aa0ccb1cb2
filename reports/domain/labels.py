"""Labels that come from data files or other apps and are printed in the Welsh part of a report.

They are translated at render time (``{% translate label %}``); listing them here with
``gettext_noop`` is what puts them in the reports catalogue (reports/locale/cy). The bank's theme
and module labels (casework/bank/2015-01/meta.yaml) and the national recipients of
inspections/domain/recipients.py must match these strings exactly; a label that does not simply
prints in English.
"""

from django.utils.translation import gettext_noop

THEME_LABELS = (
    gettext_noop("Reducing the likelihood of reoffending"),
    gettext_noop("Protecting the public"),
    gettext_noop("Protecting the child or young person"),
    gettext_noop("Ensuring the sentence is served"),
)
MODULE_LABELS = (
    gettext_noop("Early Prevention & Out of Court Disposals"),
    gettext_noop("Court Work"),
    gettext_noop("Interventions"),
    gettext_noop("Drug and Alcohol Work"),
    gettext_noop("Governance"),
    gettext_noop("Parents & Carers"),
    gettext_noop("Victims & Restorative Justice"),
)
SECTION_TITLES = (
    gettext_noop("Strengths"),
    gettext_noop("Areas for improvement"),
    gettext_noop("Commentary"),
    gettext_noop("Summary"),
    gettext_noop("Recommendations"),
    gettext_noop("Summary for children and young people"),
)
NATIONAL_RECIPIENTS = (
    gettext_noop("Youth Justice Board"),
    gettext_noop("Care and Social Services Inspectorate Wales, Estyn and Healthcare Inspectorate Wales"),
    gettext_noop("Ministry of Justice minister sponsoring HMI Probation"),
    gettext_noop("Home Office"),
    gettext_noop("The equivalent ministers of the Welsh Government"),
    gettext_noop("Head of Youth Justice, Welsh Government"),
)
