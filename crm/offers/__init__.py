"""Recruitment needs and job offers."""
