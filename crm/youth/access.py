"""Object rules for young people's profiles (`can(user, "youth.read", youth)`)."""

from portal.access import STAFF, rule


@rule("youth.read")
def _read(user, youth):
    # a profile's page is the Mission Locale's; employers see candidates through their positionings only
    return user.role in STAFF
