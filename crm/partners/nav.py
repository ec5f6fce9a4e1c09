"""Navigation entries of partners and conventions."""

from portal.access import PARTNER, STAFF
from portal.navigation import add

add("Partenaires", "partners.list_partners", STAFF, order=60)
add("Mon organisation", "partners.my_organisation", (PARTNER,), order=62)
