"""Who receives the announcement and the report, as data.

Announcement (SQS, seed 000 §10.1): the local authority chief executive(s), the Chair of the
YOT Management Board, the Director of Children's Services (England) or Director of Social
Care Services (Wales), and the YOT manager. FJI (seed 001 §2): the same, "and relevant others".

Report (SQS, seed 000 §3.5 and §10.4; seed 002): addressed to the Chair of the YOT Management
Board; copied to the chief executive, the elected members (the lead members for children's
services and for crime and disorder), key strategic managers, the police and crime
commissioner, and the YOT manager; and to national bodies: other inspectorates (Ofsted in
England) and the Youth Justice Board. FJI (seed 001 §12): also ministers.
"""

from inspections.enums import ContactRole, Country, Programme

DIRECTOR_ROLE = {
    Country.ENGLAND: ContactRole.DIRECTOR_CHILDRENS_SERVICES,
    Country.WALES: ContactRole.DIRECTOR_SOCIAL_CARE,
}


def announcement_roles(country: str) -> tuple[str, ...]:
    """Contact roles that must be on record, with an email address, before the announcement is sent."""
    return (
        ContactRole.CHIEF_EXECUTIVE,
        ContactRole.BOARD_CHAIR,
        DIRECTOR_ROLE[Country(country)],
        ContactRole.YOT_MANAGER,
    )


REPORT_ROLES = (
    ContactRole.BOARD_CHAIR,
    ContactRole.CHIEF_EXECUTIVE,
    ContactRole.LEAD_MEMBER_CHILDREN,
    ContactRole.LEAD_MEMBER_CRIME,
    ContactRole.STRATEGIC_MANAGER,
    ContactRole.POLICE_CRIME_COMMISSIONER,
    ContactRole.YOT_MANAGER,
    ContactRole.DIRECTOR_CHILDRENS_SERVICES,
    ContactRole.DIRECTOR_SOCIAL_CARE,
)


def national_report_recipients(programme: str, country: str) -> tuple[str, ...]:
    recipients = ["Youth Justice Board"]
    if country == Country.ENGLAND:
        recipients.insert(0, "Ofsted")
    else:
        recipients.insert(0, "Care and Social Services Inspectorate Wales, Estyn and Healthcare Inspectorate Wales")
    if programme == Programme.FJI:
        recipients += ["Ministry of Justice minister sponsoring HMI Probation", "Home Office"]
        if country == Country.ENGLAND:
            recipients += ["Children's Minister (Department for Education)", "Health Minister (Department of Health)"]
        else:
            recipients += [
                "The equivalent ministers of the Welsh Government",
                "Head of Youth Justice, Welsh Government",
            ]
    return tuple(recipients)
