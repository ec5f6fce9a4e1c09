"""The retention job of `flask reminders run`: anonymise young people's profiles without activity and
delete the uploaded import files kept past their time."""

from datetime import date

from portal.privacy.services import run_retention
from portal.reminders import job


@job("rgpd-retention")
def anonymise_inactive_youth(today: date) -> str:
    """Anonymise inactive profiles (report to the audit log and to the admins by e-mail), then delete old
    import files (audited)."""
    report = run_retention(today)
    files = report["files"]
    return (f"{report['anonymised']} profil(s) de jeune anonymisé(s) (sans activité depuis "
            f"{report['months']} mois) ; {files['purged']} fichier(s) d'import supprimé(s) (terminés ou "
            f"abandonnés depuis plus de {files['days']} jours)")
