"""The relationship domain: one sub-package per capability (DESIGN.md §2)."""
