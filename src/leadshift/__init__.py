"""LeadShift: the shift from product manager to product leader."""

__version__ = "0.1.0"
