"""Indicators, dashboards and the report for the board and the funders (DESIGN.md §3)."""
