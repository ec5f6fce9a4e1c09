"""The direction's home: the month's key indicators, computed as on the indicators page."""

from flask import url_for

from crm.reporting import fast, indicators, queries
from crm.reporting.rules import MONTH, Filters, make_period, previous_period
from portal.access import ADMIN
from portal.home.widgets import Figure, Widget, register

KEY_INDICATORS = ("jeunes_positionnes", "jeunes_embauches", "pmsmp_commencees", "offres_recues")


@register((ADMIN,))
def month_widget(user, today):
    current = make_period(MONTH, today=today, year=today.year, month=today.month)
    filters = Filters(MONTH, current, previous_period(MONTH, current))
    scope = queries.scope_for(user)
    url = url_for("reporting.show_dashboard", periode=MONTH, annee=today.year, mois=today.month)
    counted = fast.figures([indicators.REGISTRY[key] for key in KEY_INDICATORS], filters, scope, today)
    figures = [Figure(int(counted[key].value or 0), counted[key].indicator.label.lower(), url) for key in KEY_INDICATORS]
    return Widget(f"Les chiffres de {current.label}", figures=figures, link=("Tous les indicateurs", url), order=10)
