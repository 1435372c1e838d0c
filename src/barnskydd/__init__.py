"""Barnskydd: case management and national statistics for Swedish child and youth social care."""

__version__ = "0.1.0"
