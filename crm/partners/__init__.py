"""Partner organisations and their conventions."""
