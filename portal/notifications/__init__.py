"""Notifications outbox: messages are written to a table, then sent by SMTP or logged."""
