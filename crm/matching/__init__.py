"""Explainable matching of offers and young people, and positionings."""
