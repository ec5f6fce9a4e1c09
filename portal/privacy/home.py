"""The direction's home: young people's profiles past their retention time, the last retention report."""

from flask import url_for

from portal.access import ADMIN
from portal.home.widgets import OVERDUE, Row, Todo, Widget, register, todo
from portal.privacy import queries, services
from portal.text import datetime_fr

ROWS_SHOWN = 5


def past_retention(today):
    """Profiles inactive for longer than the retention time, not anonymised yet (the next run's list)."""
    return queries.inactive_youth(services.retention_cutoff(today, services.retention_months()))


@todo((ADMIN,))
def retention_todo(user, today):
    found = past_retention(today)
    months = services.retention_months()
    return Todo("rgpd", "Données personnelles : profils à anonymiser", len(found),
                [Row(f"Profil n° {y.id} ({y.full_name})", url_for("privacy.show_youth", youth_id=y.id),
                     f"sans activité depuis plus de {months} mois") for y in found[:ROWS_SHOWN]],
                OVERDUE, link=("Page des données personnelles", url_for("privacy.index")),
                empty=f"Aucun profil n'a dépassé la durée de conservation ({months} mois).")


@register((ADMIN,))
def retention_report_widget(user, today):
    run = queries.last_retention_run()
    lines = ([f"{run.summary} ({datetime_fr(run.at)})."] if run is not None
             else ["La conservation des données n'a encore jamais tourné : planifiez « flask reminders run »."])
    return Widget("Dernier rapport de conservation des données", lines=lines,
                  link=("Voir la page des données personnelles", url_for("privacy.index")), order=30)
