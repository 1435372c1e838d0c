"""The investigation plan (utredningsplan): questions, contacts and planned talks with the child.

`models.py` holds the table, `inputs.py` the input models (strict JSON for the API, typed text
for the desk and the command line), `service.py` the one write and read path. See docs/plan.md.
"""
