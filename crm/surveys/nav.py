"""Navigation entry of the satisfaction survey."""

from portal.access import ADMIN, COUNSELLOR
from portal.navigation import add

add("Enquêtes de satisfaction", "surveys.list_surveys", (ADMIN, COUNSELLOR), order=86)
