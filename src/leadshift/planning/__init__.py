"""Planning: allocation scenarios, solver runs and the plan of record (Django side).

The solver itself lives in ``leadshift.allocation`` (plain modules, no Django).
"""
