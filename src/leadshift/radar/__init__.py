"""The pivot radar: signals that the strategy may need to change, from every app that holds
evidence of it (judgement.py is plain; providers.py reads the records)."""
