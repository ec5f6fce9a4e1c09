"""Navigation entries of employer relations."""

from portal import navigation
from portal.access import EMPLOYER, STAFF

navigation.add("Entreprises", "employers.list_companies", STAFF, order=10)
navigation.add("Tableau de prospection", "employers.show_board", STAFF, order=11)
navigation.add("Mes tâches", "employers.list_tasks", STAFF, order=12)
navigation.add("Événements", "employers.list_events", STAFF, order=13)
navigation.add("Mon entreprise", "employers.my_company", (EMPLOYER,), order=10)
