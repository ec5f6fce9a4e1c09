"""Navigation entry of the directory, for everyone with an account."""

from portal.access import ADMIN, COUNSELLOR, EMPLOYER, PARTNER
from portal.navigation import add

add("Annuaire", "directory.search", (ADMIN, COUNSELLOR, EMPLOYER, PARTNER), order=61)
