"""The ASGI app for uvicorn and other servers, built from the environment's settings."""

from __future__ import annotations

from barnskydd.core.settings import get_settings
from barnskydd.web import deviation_job, dictation_purge
from barnskydd.web.app import create_app

app = create_app(get_settings())
deviation_job.install(app)  # the daily deviation scan and closing of measurement weeks
dictation_purge.install(app)  # the dictation audio's days, also when no worker runs
