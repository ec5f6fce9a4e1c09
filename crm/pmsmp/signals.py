"""What the immersions tell other capabilities (portal/signals.py)."""

from portal.signals import namespace

placement_hired = namespace.signal("placement-hired", doc="""A PMSMP assessment says the immersion ended in a job.
Sender: the Placement; arguments: actor (the user, or None for a personal link), assessment (its contract
type and dates). A receiver returns the hire it created, or None. Listened to by the follow-up, which creates
the hire and its check-ins (crm/followup/hooks.py).""")
