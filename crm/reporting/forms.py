"""The dashboard's filters: read from the URL (GET, no CSRF token) so that a view can be shared."""

from datetime import date

from wtforms import DateField, IntegerField, SelectField
from wtforms.validators import Optional

from crm.reporting import rules
from crm.reporting.rules import AGE_GROUPS, PERIOD_KINDS, YES_NO, FilterError, Filters
from crm.youth.rules import PROGRAMMES, SEXES
from portal.forms import Form, choices_of
from portal.text import is_digits

_ANY = [("", "Tous")]


class FiltersForm(Form):
    class Meta:
        csrf = False

    periode = SelectField("Période", choices=choices_of(PERIOD_KINDS.items()), default=rules.YEAR)
    annee = IntegerField("Année", validators=[Optional()])
    mois = SelectField("Mois", choices=choices_of((str(i), m.capitalize()) for i, m in enumerate(rules.MONTHS, 1)),
                       default="1")
    trimestre = SelectField("Trimestre", choices=choices_of((str(q), f"{q}{'er' if q == 1 else 'e'} trimestre")
                                                         for q in range(1, 5)), default="1")
    du = DateField("Du", validators=[Optional()])
    au = DateField("Au", validators=[Optional()])
    # choices of the territory, set by the view; checked against the territory (French message)
    epci = SelectField("Intercommunalité", choices=choices_of(_ANY), validate_choice=False, default="")
    commune = SelectField("Commune", choices=choices_of(_ANY), validate_choice=False, default="")
    qpv = SelectField("Quartier prioritaire (QPV)", choices=choices_of(_ANY + list(YES_NO.items())), default="")
    zrr = SelectField("Zone de revitalisation rurale (ZRR)", choices=choices_of(_ANY + list(YES_NO.items())),
                      default="")
    sexe = SelectField("Sexe", choices=choices_of(_ANY + [(k, v) for k, v in SEXES.items() if k != "non_renseigne"]),
                       default="")
    age = SelectField("Tranche d'âge", choices=choices_of(_ANY + list(AGE_GROUPS.items())), default="")
    programme = SelectField("Programme", choices=choices_of(_ANY + [(k, v) for k, v in PROGRAMMES.items()
                                                                  if k != "aucun"]), default="")

    def to_filters(self, today: date) -> Filters:
        """The checked filters, or FilterError (French message, field name)."""
        kind = self.periode.data or rules.YEAR
        year = self.annee.data if self.annee.data is not None else today.year
        current = rules.make_period(kind, today=today, year=year, month=_int(self.mois.data),
                                    quarter=_int(self.trimestre.data), start=self.du.data, end=self.au.data)
        return Filters(kind, current, rules.previous_period(kind, current), epci=self.epci.data or None,
                       commune=self.commune.data or None, qpv=self.qpv.data or None, zrr=self.zrr.data or None,
                       sex=self.sexe.data or None, age=self.age.data or None,
                       programme=self.programme.data or None)


def _int(value: str | None) -> int | None:
    return int(value) if value and is_digits(value) and len(value) < 3 else None


__all__ = ["FiltersForm", "FilterError"]
