"""The retention job of `flask reminders run`: anonymise young people's profiles without activity."""

from datetime import date

from portal.privacy.services import run_retention
from portal.reminders import job


@job("rgpd-retention")
def anonymise_inactive_youth(today: date) -> str:
    """Anonymise inactive profiles; the report goes to the audit log and to the admins by e-mail."""
    report = run_retention(today)
    return (f"{report['anonymised']} profil(s) de jeune anonymisé(s) (sans activité depuis "
            f"{report['months']} mois)")
