"""Access rules of the satisfaction survey (`can(user, "surveys.read_comments")` in views and templates)."""

from portal.access import ADMIN, rule


@rule("surveys.manage")
def _manage(user, survey):
    """Setting the period and the wording, sending the invitations: the direction."""
    return user.role == ADMIN


@rule("surveys.read_comments")
def _read_comments(user, survey):
    """The respondents' own words are read by the direction only; the team sees the figures."""
    return user.role == ADMIN
