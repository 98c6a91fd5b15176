"""Pact Advisor: lessons from ICMPD's Global Initiatives, at hand while you work."""

__version__ = "0.1.0"
