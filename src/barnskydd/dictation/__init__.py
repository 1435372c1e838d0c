"""Dictation: a recording becomes a draft on the municipality's own server, never the record.

The desk uploads a recording (audio.py checks it), a queued job waits in the database
(models.py, service.py), a worker process transcribes it offline with the configured model
(engine.py, worker.py), and the case worker reviews the draft, accepts it into the form's field
or discards it. Only the form's own save and signature put text into the record. The audio is
deleted on acceptance or discard, and after the configured number of days in any case.
"""
