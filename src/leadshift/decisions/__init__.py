"""Decisions: decision records and the leader's forecast calibration."""
