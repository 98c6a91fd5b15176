"""Browsing the guidance: ``/topics``, ``/guidance`` and ``/help``."""
