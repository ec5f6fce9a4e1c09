"""Signals: how a lower capability tells higher ones that something happened, without importing them.

A capability declares its signals in its own `signals.py` (blinker, a Flask dependency) and sends them
with `send`; a higher capability connects a receiver from a module listed in its `capability.py`. A
receiver of a capability left out of the app is not called (`installed`). Receivers run in the sender's
transaction, in the order they were connected; one that raises (a DomainError) stops the whole action.

    # crm/matching/signals.py
    positioning_hired = signals.namespace.signal("positioning-hired")

    # crm/matching/services.py
    signals.send(positioning_hired, positioning, actor=actor, details=details)

    # crm/followup/hooks.py
    @positioning_hired.connect
    def _hire(positioning, *, actor, details): ...
"""

from blinker import Namespace, Signal

from portal.capabilities import installed

namespace = Namespace()


def send(signal: Signal, sender, **kwargs) -> list:
    """Call the receivers of `signal` that belong to the app's capabilities; their return values, in order."""
    return [receiver(sender, **kwargs) for receiver in signal.receivers_for(sender) if installed(receiver)]
