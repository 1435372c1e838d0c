"""Workload: the weighted caseload, the worker's own load rating, time use and alerts.

A work-environment tool, not a performance tool: per worker only for the unit's team lead,
sorted by name, never ranked, never exported per person.
"""
