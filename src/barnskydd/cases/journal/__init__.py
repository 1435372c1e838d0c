"""The case's journal (journalanteckningar): dated entries, drafted, signed, corrected.

`models.py` holds the table, `inputs.py` the input models (strict JSON for the API, typed
text for the desk and the command line, as the chain's steps), `service.py` the one write and
read path for every edge and the generator. See docs/journal.md.
"""
