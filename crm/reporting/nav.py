"""Navigation entry of the indicators."""

from portal.access import ADMIN, COUNSELLOR, EMPLOYER, PARTNER
from portal.navigation import add

add("Indicateurs", "reporting.show_dashboard", (ADMIN, COUNSELLOR, EMPLOYER, PARTNER), order=85)
