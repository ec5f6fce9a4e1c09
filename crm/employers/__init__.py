"""Employer relations: companies, contacts, interactions, tasks, events."""
