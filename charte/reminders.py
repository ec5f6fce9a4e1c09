"""The charter's reminder job: renewal invitation at 11 months, `a_renouveler` at 12 months."""

from datetime import date

from charte import services
from portal.reminders import job


@job("charte-renouvellements")
def charter_renewals(today: date) -> str:
    """Run by `flask reminders run`; returns a one-line French report."""
    invited, expired = services.run_renewals(today)
    return f"{invited} invitation(s) à renouveler la charte, {expired} signature(s) passée(s) à renouveler"
