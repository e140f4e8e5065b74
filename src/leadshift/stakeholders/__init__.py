"""Stakeholders: the map, interactions, relationship health, cadence, and the executive brief."""
