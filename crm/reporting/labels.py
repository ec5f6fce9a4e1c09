"""French sentences describing a view of the indicators (period, filters, whose figures), shared by the
dashboard page and the report so that both say the same thing."""

from crm.employers.models import Company
from crm.partners.models import PartnerOrganisation
from crm.reporting.queries import Scope
from crm.reporting.rules import AGE_GROUPS, YES_NO, Filters
from crm.youth.rules import PROGRAMMES, SEXES
from portal.extensions import db
from portal.referentials.models import Commune, Epci


def filter_lines(filters: Filters) -> list[str]:
    """« Période : ... », « Période précédente : ... », then one line per filter in use."""
    lines = [f"Période : {filters.current.label} (du {filters.current.start:%d/%m/%Y} au "
             f"{filters.current.end:%d/%m/%Y})",
             f"Période précédente : {filters.previous.label} (du {filters.previous.start:%d/%m/%Y} au "
             f"{filters.previous.end:%d/%m/%Y})"]
    if filters.epci:
        epci = db.session.get(Epci, filters.epci)
        lines.append(f"Intercommunalité : {epci.name if epci else filters.epci}")
    if filters.commune:
        commune = db.session.get(Commune, filters.commune)
        lines.append(f"Commune : {commune.name if commune else filters.commune}")
    people = [
        ("Sexe", SEXES.get(filters.sex or "")),
        ("Tranche d'âge", AGE_GROUPS.get(filters.age or "")),
        ("Programme", PROGRAMMES.get(filters.programme or "")),
        ("Quartier prioritaire (QPV)", YES_NO.get(filters.qpv or "")),
        ("Zone de revitalisation rurale (ZRR)", YES_NO.get(filters.zrr or "")),
    ]
    lines += [f"{label} : {value}" for label, value in people if value]
    if not (filters.epci or filters.commune):
        lines.append("Territoire : toutes les communes")
    if filters.youth_filters:
        lines.append("Les filtres sur les jeunes (sexe, âge, programme, QPV, ZRR) ne s'appliquent qu'aux "
                     "indicateurs qui portent sur des jeunes.")
    return lines


def scope_line(scope: Scope) -> str:
    """Whose figures these are."""
    if scope.is_staff:
        return "Chiffres de l'ensemble de la Mission Locale"
    if scope.company_id is not None:
        company = db.session.get(Company, scope.company_id)
        return f"Chiffres de l'entreprise {company.name}" if company else "Chiffres de votre entreprise"

    partner = db.session.get(PartnerOrganisation, scope.partner_id)
    return f"Chiffres de l'organisation {partner.name}" if partner else "Chiffres de votre organisation"
