"""Navigation entry of the « Courriels envoyés » page."""

from portal.access import ADMIN
from portal.navigation import add

add("Courriels envoyés", "notifications.list_outbox", (ADMIN,), order=96)
