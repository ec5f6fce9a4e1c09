"""What the matching tells other capabilities (portal/signals.py)."""

from portal.signals import namespace

positioning_hired = namespace.signal("positioning-hired", doc="""A positioning was marked « embauché ».
Sender: the Positioning; arguments: actor (the user, or None), details (contract_type, start_on, end_on,
trial_end_on, hours_per_week as typed, any of them missing). Listened to by the follow-up, which creates the
hire and its check-ins (crm/followup/hooks.py).""")
