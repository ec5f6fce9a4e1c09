"""Navigation entry of the DPO's page."""

from portal.access import ADMIN
from portal.navigation import add

add("Données personnelles", "privacy.index", (ADMIN,), order=95)
