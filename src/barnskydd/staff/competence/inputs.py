"""What the competence edits take: one Pydantic model per edit, shared by the desk and the CLI."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import Field

from barnskydd.cases.chain.inputs import Day, StepInput
from barnskydd.core.errors import InvalidInput
from barnskydd.staff.competence.codes import Degree

MAX_SUPERVISION = 40 * 60  # minutes a week: a working week


class CompetenceSet(StepInput):
    """A worker's degree, experience start, sign-off and supervision; what is left out stays."""

    degree: Degree | None = Field(None, title="Examen", description="Examen: " + ", ".join(Degree))
    degree_on: Day | None = Field(None, title="Examensdatum", description="ÅÅÅÅ-MM-DD.")
    degree_kind: Annotated[str, Field(max_length=200)] | None = Field(
        None,
        title="Vilken examen (vid annan examen)",
        description="Vilken examen, vid annan relevant examen (HSLF-FS 2017:79).",
    )
    certificate_ref: Annotated[str, Field(max_length=60)] | None = Field(
        None,
        title="Socialstyrelsens bevis (utländsk utbildning)",
        description="Beteckning på Socialstyrelsens bevis om behörighet.",
    )
    experience_from: Day | None = Field(
        None,
        title="Arbetar med barnutredningar sedan",
        description="Början på nuvarande period med barnutredningar (ÅÅÅÅ-MM-DD).",
    )
    independent_from: Day | None = Field(
        None,
        title="Arbetar självständigt från",
        description="Dag då arbetsledaren attesterade självständigt arbete (ÅÅÅÅ-MM-DD).",
    )
    supervision_minutes_per_week: Annotated[int, Field(ge=0, le=MAX_SUPERVISION)] | None = Field(
        None, title="Handledning, minuter per vecka", description="Handledning i minuter per vecka."
    )


class EarlierPeriod(StepInput):
    """An earlier, ended period of work with child investigations (another employer)."""

    start_on: Day = Field(title="Från", description="Periodens första dag (ÅÅÅÅ-MM-DD).")
    end_on: Day = Field(title="Till", description="Periodens sista dag (ÅÅÅÅ-MM-DD).")


class IntroductionStart(StepInput):
    """A worker's introduction: programme, start, planned end, mentor."""

    programme: Annotated[str, Field(max_length=60)] = Field(
        "introduktion-barn-unga", title="Program", description="Programmets id."
    )
    version: int | None = Field(None, title="Version", description="Version (senaste om tomt).")
    started_on: Day = Field(title="Start", description="Startdag (ÅÅÅÅ-MM-DD).")
    planned_end: Day | None = Field(None, title="Planerat slut", description="ÅÅÅÅ-MM-DD.")
    mentor: Annotated[str, Field(max_length=60)] | None = Field(
        None, title="Mentor (användarnamn)", description="Mentorns användarnamn."
    )


class ItemDone(StepInput):
    """One item of the worker's programme done on a day."""

    item: Annotated[str, Field(min_length=1, max_length=60)] = Field(
        title="Del", description="Delens nyckel i programmet."
    )
    completed_on: Day = Field(title="Klar", description="Dag då delen blev klar (ÅÅÅÅ-MM-DD).")


def not_after(day: dt.date | None, today: dt.date, field: str, what: str) -> None:
    """Refuse a day in the future."""
    if day is not None and day > today:
        raise InvalidInput(f"{what} kan inte ligga i framtiden.", field=field)
