"""What partners register with other capabilities: "mes tâches" names and links tasks about an
organisation or a convention."""

from flask import url_for

from crm.employers.timeline import SubjectLink, register_task_subject
from crm.partners import queries
from portal.access import PARTNER
from portal.accounts import organisations


def _partners(ids: list[int]) -> dict[int, SubjectLink]:
    return {i: SubjectLink(name, url_for("partners.show_partner", partner_id=i))
            for i, name in queries.partner_names(ids).items()}


def _conventions(ids: list[int]) -> dict[int, SubjectLink]:
    return {i: SubjectLink(f"Convention « {title} » ({name})", url_for("partners.show_convention", convention_id=i))
            for i, (title, name) in queries.convention_titles(ids).items()}


register_task_subject("PartnerOrganisation", _partners)
register_task_subject("Convention", _conventions)
organisations.register(PARTNER, queries.get_partner)  # the organisation of a partner account
