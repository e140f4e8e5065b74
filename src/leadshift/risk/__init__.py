"""Risk: Monte Carlo simulation of a plan of record, its risks and what mitigations are worth."""
