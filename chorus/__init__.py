"""Chorus: find automated amplification campaigns in political tweet archives."""

__version__ = "0.1.0"
