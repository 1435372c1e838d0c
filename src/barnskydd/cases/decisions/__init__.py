"""Decisions on interventions (granted or refused), the parties told of them, their letters."""
