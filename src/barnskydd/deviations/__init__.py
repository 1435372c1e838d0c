"""Deviations: low-threshold incident reports, Lex Sarah to IVO, automatic deviations."""
