"""Accounts: login, invitations, password resets, deactivation."""
