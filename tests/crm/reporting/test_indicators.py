"""Every figure of the dashboard against a count made here, from the rows, for two periods (a year and a
quarter, each with its previous period) and for the whole territory and each of two EPCI."""

import re
import statistics
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import select

from charte.models import CharterReview, CharterSignature
from crm.directory.models import DirectoryService
from crm.employers.models import Company, Interaction
from crm.followup.models import Hire
from crm.matching.models import Positioning
from crm.offers.models import Offer
from crm.partners.models import Convention, PartnerOrganisation
from crm.pmsmp.models import Placement
from crm.reporting.dashboard import dashboard
from crm.reporting.indicators import REGISTRY, Context
from crm.reporting.rules import AGE_GROUPS, Filters, Period, birth_bounds
from crm.reporting.tables import BREAKDOWN_INDICATORS
from crm.youth.models import YouthProfile
from crm.youth.rules import PROGRAMMES, SEXES
from portal.extensions import db
from portal.referentials.models import Commune, Epci
from tests.crm.reporting.conftest import EPCI_EDA, EPCI_TDM, THIERS


def kept_at(*, start_on: date, ended_on: date | None, horizon_days: int, today: date) -> bool | None:
    """Whether a hire was still held `horizon_days` after its start: None while the horizon is not reached
    yet. A contract that reached its planned end without rupture counts as kept."""
    horizon = start_on + timedelta(days=horizon_days)
    if ended_on is not None and ended_on < horizon:
        return False
    if horizon > today:
        return None
    return True


VIEWS = [
    ("year", {"periode": "annee", "annee": "2025"}, (date(2025, 1, 1), date(2025, 12, 31)),
     (date(2024, 1, 1), date(2024, 12, 31))),
    ("quarter", {"periode": "trimestre", "annee": "2025", "trimestre": "2"}, (date(2025, 4, 1), date(2025, 6, 30)),
     (date(2025, 1, 1), date(2025, 3, 31))),
]
TERRITORIES = [None, EPCI_TDM, EPCI_EDA]


def _day(value):
    return value.date() if isinstance(value, datetime) else value


def _all(model):
    return list(db.session.scalars(select(model)))


class Oracle:
    """Counts made in Python from the rows, one function per indicator, independently of the SQL."""

    def __init__(self, epci, today, who=None):
        self.today = today
        self.epci_of = dict(db.session.execute(select(Commune.insee_code, Commune.epci_siren)).all())
        self.epci = epci
        self.who = who or (lambda youth: True)

    def here(self, commune_code):
        return self.epci is None or self.epci_of.get(commune_code) == self.epci

    def person(self, youth):
        """The young person lives on the territory asked for and is one of those asked for (`who`)."""
        return self.here(youth.commune_code) and self.who(youth)

    @staticmethod
    def within(value, period):
        return value is not None and period[0] <= _day(value) <= period[1]

    def count(self, key, period):
        return getattr(self, key)(period)

    # young people
    def jeunes_positionnes(self, p):
        return len({x.youth_id for x in _all(Positioning) if self.within(x.created_at, p)
                    and self.person(x.youth)})

    def jeunes_proposes(self, p):
        return len({x.youth_id for x in _all(Positioning) if self.within(x.proposed_at, p)
                    and self.person(x.youth)})

    def _hires(self, p, types=None):
        return [h for h in _all(Hire) if self.within(h.start_on, p) and self.person(h.youth)
                and (types is None or h.contract_type in types)]

    def jeunes_embauches(self, p):
        return len({h.youth_id for h in self._hires(p)})

    def contrats_signes(self, p):
        return len(self._hires(p))

    def sorties_emploi(self, p):
        return len({h.youth_id for h in self._hires(p, {"cdi", "cdd", "interim", "saisonnier", "contrat_aide"})})

    def sorties_alternance(self, p):
        return len({h.youth_id for h in self._hires(p, {"apprentissage", "professionnalisation"})})

    def sorties_positives(self, p):
        return len({h.youth_id for h in self._hires(p, {"cdi", "cdd", "interim", "saisonnier", "contrat_aide",
                                                        "apprentissage", "professionnalisation"})})

    # PMSMP
    def _placements(self):
        return [x for x in _all(Placement) if self.person(x.youth)]

    def pmsmp_commencees(self, p):
        return sum(1 for x in self._placements() if x.status in ("validee", "terminee")
                   and self.within(x.start_date, p))

    def pmsmp_terminees(self, p):
        return sum(1 for x in self._placements() if x.status == "terminee" and self.within(x.end_date, p))

    def pmsmp_emploi(self, p):
        return sum(1 for x in self._placements() if x.assessment is not None and x.assessment.ended_with_job
                   and self.within(x.end_date, p))

    # offers
    def _offers(self):
        return [o for o in _all(Offer) if self.here(o.work_commune_code)]

    def offres_recues(self, p):
        return sum(1 for o in self._offers() if o.status != "brouillon" and self.within(o.created_at, p))

    def offres_publiees(self, p):
        return sum(1 for o in self._offers() if self.within(o.published_at, p))

    def offres_pourvues(self, p):
        return sum(1 for o in self._offers() if o.status == "pourvue" and self.within(o.closed_at, p))

    def delai_median_pourvoi(self, p):
        days = [(o.closed_at.date() - o.published_at.date()).days for o in self._offers()
                if o.status == "pourvue" and self.within(o.closed_at, p) and o.published_at]
        return statistics.median(days) if days else None

    # companies
    def entreprises_prospectees(self, p):
        return len({i.company_id for i in _all(Interaction) if i.company_id and self.within(i.occurred_on, p)
                    and self.here(i.company.commune_code)})

    def entreprises_actives(self, p):
        ids = {o.company_id for o in _all(Offer) if o.status != "brouillon" and self.within(o.created_at, p)}
        ids |= {h.company_id for h in _all(Hire) if self.within(h.start_on, p)}
        ids |= {x.company_id for x in _all(Placement) if x.status in ("validee", "terminee")
                and self.within(x.start_date, p)}
        return sum(1 for c in _all(Company) if c.id in ids and self.here(c.commune_code))

    def entreprises_nouvelles(self, p):
        return sum(1 for c in _all(Company) if self.within(c.created_at, p) and self.here(c.commune_code))

    # charter
    def charte_nouveaux_signataires(self, p):
        return sum(1 for s in _all(CharterSignature) if self.within(s.validated_at, p)
                   and self.here(s.company.commune_code))

    def charte_signataires_actifs(self, p):
        return sum(1 for s in _all(CharterSignature) if s.status in ("active", "a_renouveler")
                   and self.here(s.company.commune_code))

    def charte_engagements_tenus(self, p):
        reviews = [r for r in _all(CharterReview) if self.within(r.reviewed_on, p)
                   and self.here(r.signature.company.commune_code)]
        return sum(r.outcome == "tenus" for r in reviews) / len(reviews) if reviews else None

    # retention: the rule written here row by row (the indicator counts it in SQL)
    def _retention(self, p, days):
        outcomes = [kept_at(start_on=h.start_on, ended_on=h.ended_on, horizon_days=days, today=self.today)
                    for h in self._hires(p)]
        outcomes = [o for o in outcomes if o is not None]
        return sum(outcomes) / len(outcomes) if outcomes else None

    def maintien_j30(self, p):
        return self._retention(p, 30)

    def maintien_j90(self, p):
        return self._retention(p, 90)

    def maintien_m6(self, p):
        return self._retention(p, 182)

    def ruptures(self, p):
        return sum(1 for h in _all(Hire) if self.within(h.ended_on, p) and self.person(h.youth))

    # partners and directory
    def _conventions(self):
        return [c for c in _all(Convention) if c.status == "active"
                and self.here(db.session.get(PartnerOrganisation, c.partner_id).commune_code)]

    def conventions_actives(self, p):
        return sum(1 for c in self._conventions() if c.start_on <= p[1] and c.end_on >= p[0])

    def conventions_echeance(self, p):
        return sum(1 for c in self._conventions() if self.within(c.end_on, p))

    def services_publies(self, p):
        return sum(1 for s in _all(DirectoryService) if s.status == "publie" and self.here(s.commune_code))

    def services_a_actualiser(self, p):
        return sum(1 for s in _all(DirectoryService) if s.status == "publie" and s.stale_on < self.today
                   and self.here(s.commune_code))


_ARTICLE = re.compile(r'<article class="report-figure"[^>]*data-indicator="([a-z0-9_]+)"(.*?)</article>', re.S)
_VALUE = re.compile(r'data-value="([^"]*)"')
_PREVIOUS = re.compile(r'data-previous="([^"]*)"')


def _number(match):
    return float(match.group(1)) if match and match.group(1) else None


def page_figures(client, query) -> dict[str, tuple]:
    """{indicator key: (value, previous)} as the dashboard shows them (the data-* beside each number)."""
    response = client.get("/indicateurs", query_string=query)
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    return {key: (_number(_VALUE.search(body)), _number(_PREVIOUS.search(body)))
            for key, body in _ARTICLE.findall(response.get_data(as_text=True))}


def test_registry_is_complete():
    """Every indicator has its counterpart here, so that none goes untested."""
    assert set(REGISTRY) == {name for name in vars(Oracle) if not name.startswith("_")} - {
        "here", "person", "within", "count"}


@pytest.mark.parametrize("view", VIEWS, ids=[v[0] for v in VIEWS])
@pytest.mark.parametrize("epci", TERRITORIES, ids=["territoire", "cc-tdm", "cc-eda"])
def test_every_indicator_equals_count_from_rows(view, epci, world, client, auth):
    """Each indicator, period and previous period, on the page, against the oracle (one world per view)."""
    auth.login(world.admin)
    _name, query, current, previous = view
    today = date.today()
    oracle = Oracle(epci, today)
    shown = page_figures(client, {**query, **({"epci": epci} if epci else {})})
    assert set(shown) == set(REGISTRY)
    wrong = {}
    for key, indicator in REGISTRY.items():
        expected = [oracle.count(key, current)]
        got = [shown[key][0]]
        if indicator.source(Context(today)).on is not None:
            expected.append(oracle.count(key, previous))
            got.append(shown[key][1])
        if got != pytest.approx(expected, nan_ok=True) and got != expected:
            wrong[key] = {"page": got, "lignes": expected}
    assert not wrong, wrong


def test_the_world_is_not_empty(world, client, auth):
    """The data spreads over both periods and both EPCI: most figures are not zero, so equality means something."""
    auth.login(world.admin)
    shown = page_figures(client, {"periode": "annee", "annee": "2025"})
    assert len(shown) == len(REGISTRY)
    non_zero = [k for k, (v, _p) in shown.items() if v]
    assert len(non_zero) >= len(REGISTRY) - 1, set(REGISTRY) - set(non_zero)
    assert shown["contrats_signes"] == (5.0, 1.0)
    assert shown["offres_pourvues"] == (3.0, 1.0)
    assert shown["delai_median_pourvoi"][0] == 88.0  # 40, 88 and 161 days


def _dimension_predicates(epci_of, period_end):
    """{breakdown table key: {row label: predicate on a young person}}, written from the rules' words."""
    ages = {}
    for key, label in AGE_GROUPS.items():
        earliest, latest = birth_bounds(key, period_end)
        ages[label] = lambda y, e=earliest, la=latest: e <= y.birth_date <= la
    ages["Plus de 25 ans"] = lambda y: not any(test(y) for test in list(ages.values())[:3])
    epcis = {name: siren for siren, name in db.session.execute(select(Epci.siren, Epci.name)).all()
             if siren in set(epci_of[y.commune_code] for y in _all(YouthProfile))}
    return {
        "jeunes_epci": {name: (lambda y, s=siren: epci_of[y.commune_code] == s) for name, siren in epcis.items()},
        "jeunes_sexe": {label: (lambda y, k=key: y.sex == k) for key, label in SEXES.items()},
        "jeunes_age": ages,
        "jeunes_programme": {label: (lambda y, k=key: y.programme == k) for key, label in PROGRAMMES.items()},
        "jeunes_qpv": {"En QPV": lambda y: y.qpv, "Hors QPV": lambda y: not y.qpv},
        "jeunes_zrr": {"En ZRR": lambda y: y.zrr, "Hors ZRR": lambda y: not y.zrr},
    }


@pytest.mark.parametrize("view", VIEWS, ids=[v[0] for v in VIEWS])
def test_people_breakdowns_equal_counts_from_rows(view, world, make):
    """Each cell of the breakdowns by EPCI, sex, age group, programme, QPV and ZRR, against the oracle
    restricted to the young people of that row; no row the oracle counts is missing from a table."""
    _name, query, current, previous = view
    # a young person alike in every dimension to another one, so that a group holds two people
    twin = make.youth(commune_code=THIERS, sex="femme", programme="cej", qpv=True, birth_date=date(2008, 7, 1))
    offer = db.session.scalars(select(Offer).where(Offer.status == "publiee")).first()
    make.positioning(offer, twin, status="proposee", created_at=datetime(2025, 5, 10, 9),
                     proposed_at=datetime(2025, 5, 12, 9))
    today = date.today()
    kind = query["periode"]
    period = Period(current[0], current[1], "vue")
    filters = Filters(kind, period, Period(previous[0], previous[1], "précédente"))
    board = dashboard(world.admin, filters, today)
    tables = {t.key: t for t in board.areas[0].tables}
    epci_of = dict(db.session.execute(select(Commune.insee_code, Commune.epci_siren)).all())
    checked = 0
    for table_key, predicates in _dimension_predicates(epci_of, current[1]).items():
        table = tables[table_key]
        keys = [k for k in BREAKDOWN_INDICATORS]
        assert table.columns[1:] == [REGISTRY[k].label for k in keys]
        shown = {row[0]: row[1:] for row in table.rows}
        for label, predicate in predicates.items():
            oracle = Oracle(None, today, who=predicate)
            expected = [oracle.count(k, current) for k in keys]
            assert shown.get(label, [0] * len(keys)) == expected, (table_key, label)
            checked += sum(expected)
        assert set(shown) <= set(predicates), table_key
    assert checked > 30  # the world has people in most cells: equality means something
