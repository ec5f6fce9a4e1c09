"""The survey's one reminder, run by `flask reminders run`."""

from datetime import date

from crm.surveys import services
from portal import reminders


@reminders.job("enquete_satisfaction")
def remind_survey_respondents(today: date) -> str:
    """A week after the invitation, one reminder to the respondents who have not answered yet."""
    count = services.send_reminders(today)
    return f"{count} rappel(s) d'enquête de satisfaction envoyé(s)"
