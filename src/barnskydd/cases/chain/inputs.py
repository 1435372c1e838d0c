"""What each step takes: one Pydantic model per step, the only copy of its fields and limits.

Two modes, chosen once by the validation context:

- strict (the API's JSON body; no context): values as the OpenAPI document types them, booleans
  as true/false, ids as integers, dates as ÅÅÅÅ-MM-DD and times as RFC 3339 with a zone;
- text (`StepInput.from_text`: the desk's form and the command line): everything arrives as
  typed text, so ja/nej is a boolean, a number in text is an id, an empty optional field is
  left out and a time without zone (datetime-local) is Swedish local time.

A field's title is the desk's label, its description the CLI's help and the OpenAPI text.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Annotated, Any, Self

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from barnskydd.cases.codes import (
    BbicSide,
    InterventionCategory,
    InvestigationOutcome,
    LegalBasis,
    PreliminaryOutcome,
)
from barnskydd.core.clock import SWEDEN
from barnskydd.core.errors import InvalidInput
from barnskydd.reference.municipalities import get as get_municipality
from barnskydd.voice.codes import AUTO_BAND, VoiceMode, VoiceReason, VoiceStatus

MAX_TEXT = 20_000
MAX_REASON = 200  # an intervention's end reason: a short line in the case and the extract
MAX_ID = 2**31 - 1  # ids are 32-bit integers on PostgreSQL; a larger one is no id of ours
FIRST_YEAR, LAST_YEAR = 1900, 2999  # far enough from the ends that time zone shifts stay valid
TEXT_MODE = "text"
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_MOMENT = re.compile(r"\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})")
MSG_DAY = "Ange ett datum som finns i kalendern, ÅÅÅÅ-MM-DD."
MSG_MOMENT = "Ange en tidpunkt med tidszon, t.ex. 2025-06-19T10:00:00+02:00."
MSG_LOCAL_MOMENT = "Ange en giltig tidpunkt (ÅÅÅÅ-MM-DD TT:MM)."
MSG_NO_MOMENT = "Tidpunkten finns inte: kontrollera datum, klockslag och tidszon."
MSG_NUL = "Texten innehåller ett nolltecken (NUL), som inte kan sparas."


def _text_mode(info: ValidationInfo) -> bool:
    return isinstance(info.context, Mapping) and info.context.get("mode") == TEXT_MODE


def _day(value: object) -> object:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if not isinstance(value, str) or not _DAY.fullmatch(value):
        raise ValueError(MSG_DAY)
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ValueError(MSG_DAY) from None


def _in_range(moment: dt.datetime) -> dt.datetime:
    if not FIRST_YEAR <= moment.year <= LAST_YEAR:
        raise ValueError(f"Ange en tidpunkt mellan år {FIRST_YEAR} och {LAST_YEAR}.")
    return moment


def _moment(value: object, info: ValidationInfo) -> object:
    if isinstance(value, dt.datetime):
        moment = value
    elif _text_mode(info) and isinstance(value, str):
        try:
            moment = dt.datetime.fromisoformat(value)
        except ValueError:
            raise ValueError(MSG_LOCAL_MOMENT) from None
        moment = moment if moment.tzinfo else moment.replace(tzinfo=SWEDEN)
    elif isinstance(value, str) and _MOMENT.fullmatch(value):
        try:
            moment = dt.datetime.fromisoformat(value.upper())
        except ValueError:
            raise ValueError(MSG_NO_MOMENT) from None
    else:
        raise ValueError(MSG_MOMENT)
    if moment.tzinfo is None:
        raise ValueError(MSG_MOMENT)
    return _in_range(moment)


def _yes_no(value: object, info: ValidationInfo) -> object:
    if isinstance(value, bool):
        return value
    if _text_mode(info) and value in ("ja", "nej"):
        return value == "ja"
    if _text_mode(info):
        raise PydanticCustomError("bool_parsing", "ja or nej")
    raise PydanticCustomError("bool_type", "a boolean")


def _id(value: object, info: ValidationInfo) -> object:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if _text_mode(info) and isinstance(value, str) and value.isascii() and value.isdigit():
        return int(value)
    kind = "int_parsing" if _text_mode(info) else "int_type"
    raise PydanticCustomError(kind, "an integer")


def _municipality(value: object) -> object:
    if not isinstance(value, str):
        return value
    try:
        return get_municipality(value).code
    except InvalidInput as error:
        raise ValueError(error.message) from None


Id = Annotated[int, BeforeValidator(_id), Field(ge=1, le=MAX_ID)]
Day = Annotated[dt.date, BeforeValidator(_day)]
Moment = Annotated[dt.datetime, BeforeValidator(_moment)]
YesNo = Annotated[bool, BeforeValidator(_yes_no)]
Notes = Annotated[str, Field(max_length=MAX_TEXT)]
Reason = Annotated[str, Field(min_length=1, max_length=MAX_TEXT)]
MunicipalityCode = Annotated[str, Field(max_length=10, examples=["1480"])]
CaseNumberText = Annotated[str, Field(max_length=20, examples=["BU-2025-000123"])]
# The co-signer of a step SoL 2025:400 25 kap. 1 § reserves for qualified staff (the steps of
# barnskydd/staff/competence/reserved_steps.toml carry this field, last).
CoSigner = Annotated[str, Field(max_length=60, examples=["mentor.anna"])] | None


# The child's voice (issue 13), asked the same way at every step that takes it (FollowUp,
# ReviewPlacement): how the view was obtained, why not, how the child answers, the age band.
VoiceStatusField = Annotated[
    VoiceStatus,
    Field(
        title="Barnets röst: hur fick barnet säga sin mening?",
        description="answered, declined_by_child, not_offered eller not_possible.",
    ),
]
VoiceReasonField = Annotated[
    VoiceReason | None,
    Field(
        title="Skäl (när frågorna inte erbjöds eller inte gick att svara på)",
        description="Skäl vid not_offered/not_possible: " + ", ".join(r.value for r in VoiceReason),
    ),
]
VoiceReasonText = Annotated[
    str,
    Field(
        max_length=MAX_REASON,
        title="Annat skäl, med egna ord",
        description="Skälet när skälet är other.",
    ),
]
VoiceModeField = Annotated[
    VoiceMode | None,
    Field(
        title="Hur barnet svarar",
        description="Vid answered: " + ", ".join(m.value for m in VoiceMode),
    ),
]
VoiceBand = Annotated[
    str,
    Field(
        max_length=10,
        title="Åldersgrupp för frågorna",
        description="auto (efter barnets ålder den dagen), 4-7, 8-12 eller 13-20.",
    ),
]
VoiceAlone = Annotated[
    YesNo | None,
    Field(
        title="Svarar barnet utan vårdnadshavare eller annan vuxen närvarande?",
        description="Om barnet svarar ensamt (ja/nej).",
    ),
]


# Early help (11 kap. 5 §), asked the same way when screening out (OfferEarlyHelp) and in an
# open case (GiveEarlyHelp): the service from the catalogue, consent and information.
EarlyHelpService = Annotated[
    str,
    Field(
        min_length=1,
        max_length=40,
        examples=["samtalsstod"],
        title="Tidigt stöd",
        description="Insatsen ur nämndens katalog över tidigt stöd (dess kod).",
    ),
]
GuardianConsent = Annotated[
    YesNo,
    Field(
        title="Samtycker vårdnadshavaren?",
        description="Vårdnadshavarens samtycke (21 kap. 2 § SoL).",
    ),
]
ChildAloneSuitable = Annotated[
    YesNo,
    Field(
        title="Barnet har fyllt 15 och det är lämpligt utan vårdnadshavarens samtycke?",
        description="Barnet har fyllt 15 år och det är lämpligt att ge stödet så (21 kap. 2 §).",
    ),
]
SuitabilityNote = Annotated[
    Notes | None,
    Field(
        title="Varför det är lämpligt",
        description="Varför stödet ges utan vårdnadshavarens samtycke.",
    ),
]
InformedOfAssessedRoute = Annotated[
    YesNo,
    Field(
        title="Informerad om rätten att ansöka om bistånd?",
        description="Informerad om att ansöka om behovsprövade insatser (11 kap. 6 § SoL).",
    ),
]


def co_signer_field() -> Any:
    """Return the co-signer's field (a new FieldInfo for each model)."""
    return Field(
        None,
        title="Medundertecknare (användarnamn), för den som ännu inte arbetar självständigt",
        description="Användarnamn på behörig medundertecknare (25 kap. 1 § andra stycket SoL).",
    )


class StrictInput(BaseModel):
    """Base of every input: no unknown fields, trimmed text, nothing unstorable."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    @field_validator("*", mode="after")
    @classmethod
    def _storable(cls, value: object) -> object:
        # PostgreSQL refuses NUL in text; refusing it here keeps bad input a 422, not a 500.
        if isinstance(value, str) and "\x00" in value:
            raise ValueError(MSG_NUL)
        return value


class StepInput(StrictInput):
    """Base of a step's input; `from_text` reads it from a form or the command line."""

    @classmethod
    def from_text(cls, values: Mapping[str, object]) -> Self:
        """Validate typed text: a missing field is empty; an empty optional one is left out."""
        data: dict[str, Any] = {}
        for name, field in cls.model_fields.items():
            value = values.get(name, "")
            if isinstance(value, str):
                value = value.strip()
            if value == "" and not field.is_required():
                continue
            data[name] = value
        return cls.model_validate(data, context={"mode": TEXT_MODE})


class AssessProtection(StepInput):
    """Skyddsbedömning: is the child in need of immediate protection?"""

    assessed_at: Moment = Field(
        title="Bedömd", description="När bedömningen gjordes (ÅÅÅÅ-MM-DDTTT:MM, svensk tid)."
    )
    immediate_protection_needed: YesNo = Field(
        title="Behöver barnet omedelbart skydd?", description="Behov av omedelbart skydd."
    )
    notes: Notes = Field("", title="Anteckning", description="Anteckning.")


class DecidePreliminary(StepInput):
    """The decision after the preliminary assessment (förhandsbedömning)."""

    decided_on: Day = Field(title="Beslutsdatum", description="Beslutsdatum (ÅÅÅÅ-MM-DD).")
    outcome: PreliminaryOutcome = Field(title="Beslut", description="Beslutet.")
    transferred_to: Annotated[MunicipalityCode | None, BeforeValidator(_municipality)] = Field(
        None, title="Kommunkod vid överflyttning", description="Kommunkod vid överflytt."
    )
    linked_case_number: CaseNumberText | None = Field(
        None,
        title="Pågående ärende (ärendenummer)",
        description="Pågående ärende att koppla till.",
    )
    notes: Notes = Field("", title="Motivering", description="Motivering.")
    co_signed_by: CoSigner = co_signer_field()


class OfferEarlyHelp(StepInput):
    """Not opened, with early help offered without an investigation (11 kap. 5 § SoL)."""

    decided_on: Day = Field(title="Beslutsdatum", description="Beslutsdatum (ÅÅÅÅ-MM-DD).")
    service: EarlyHelpService
    guardian_consent: GuardianConsent
    child_alone_suitable: ChildAloneSuitable = False
    suitability_note: SuitabilityNote = None
    informed_of_assessed_route: InformedOfAssessedRoute
    started_on: Day | None = Field(
        None, title="Stödet börjar", description="Dag stödet börjar (annars beslutsdagen)."
    )
    notes: Notes = Field("", title="Motivering", description="Motivering.")


class GiveEarlyHelp(StepInput):
    """Early help given in an open case, without an individual needs assessment (11 kap. 5 §)."""

    service: EarlyHelpService
    started_on: Day = Field(title="Stödet börjar", description="Dag stödet börjar (ÅÅÅÅ-MM-DD).")
    requested_by_family: YesNo = Field(
        False,
        title="På familjens egen begäran?",
        description="Barnet eller familjen bad själva om stödet.",
    )
    guardian_consent: GuardianConsent
    child_alone_suitable: ChildAloneSuitable = False
    suitability_note: SuitabilityNote = None
    informed_of_assessed_route: InformedOfAssessedRoute


class ExtendPreliminary(StepInput):
    """An extension of the preliminary assessment for synnerliga skäl."""

    decided_on: Day = Field(title="Beslutsdatum", description="Beslutsdatum (ÅÅÅÅ-MM-DD).")
    new_due: Day = Field(title="Ny sista dag", description="Ny tidsfrist (ÅÅÅÅ-MM-DD).")
    reason: Reason = Field(title="Synnerliga skäl", description="De synnerliga skälen.")
    co_signed_by: CoSigner = co_signer_field()


class RecordBbic(StepInput):
    """The text of one BBIC area of the investigation (a later save replaces it)."""

    side: BbicSide = Field(title="BBIC-triangelns sida", description="BBIC-triangelns sida.")
    area: str = Field(
        max_length=40, examples=["health"], title="BBIC-område", description="Område inom sidan."
    )
    text: Notes = Field(title="Text", description="Text för området.")
    co_signed_by: CoSigner = co_signer_field()

    # The desk offers side and area as one choice, "side:area"; text mode splits it.
    @model_validator(mode="before")
    @classmethod
    def _one_choice(cls, data: object, info: ValidationInfo) -> object:
        if _text_mode(info) and isinstance(data, dict) and not data.get("side"):
            side, _, area = str(data.get("area", "")).partition(":")
            return {**data, "side": side, "area": area}
        return data


class ExtendInvestigation(StepInput):
    """An extension of the investigation for särskilda skäl."""

    decided_on: Day = Field(title="Beslutsdatum", description="Beslutsdatum (ÅÅÅÅ-MM-DD).")
    new_due: Day = Field(title="Ny sista dag", description="Ny tidsfrist (ÅÅÅÅ-MM-DD).")
    reason: Reason = Field(title="Särskilda skäl", description="De särskilda skälen.")
    co_signed_by: CoSigner = co_signer_field()


class DecideIntervention(StepInput):
    """A decided intervention (insats) under SoL or LVU."""

    category: InterventionCategory = Field(title="Insats", description="Insatskategori.")
    legal_basis: LegalBasis = Field(title="Lagrum", description="Lagrum: sol eller lvu.")
    decided_on: Day = Field(title="Beslutsdatum", description="Beslutsdatum (ÅÅÅÅ-MM-DD).")
    start_on: Day | None = Field(
        None, title="Startdatum", description="Startdatum om annat än beslutet."
    )
    judgment_final_on: Day | None = Field(
        None,
        title="Domen vann laga kraft",
        description="Ungdomstjänst: dagen då domen vann laga kraft (ÅÅÅÅ-MM-DD).",
    )
    co_signed_by: CoSigner = co_signer_field()


class RefuseIntervention(StepInput):
    """A refusal (avslag) of an applied-for intervention under SoL 2025:400 11 kap. 1 §."""

    category: InterventionCategory = Field(title="Insats som söktes", description="Insatskategori.")
    applied_on: Day = Field(title="Ansökan inkom", description="När ansökan kom in (ÅÅÅÅ-MM-DD).")
    decided_on: Day = Field(title="Beslutsdatum", description="Beslutsdatum (ÅÅÅÅ-MM-DD).")
    reason: Reason = Field(title="Skäl för avslaget", description="Skälen för beslutet.")
    co_signed_by: CoSigner = co_signer_field()


class CompleteInvestigation(StepInput):
    """The end of the investigation and its outcome."""

    completed_on: Day = Field(title="Datum för avslut", description="Datum (ÅÅÅÅ-MM-DD).")
    outcome: InvestigationOutcome = Field(title="Utfall", description="Utredningens utfall.")
    transferred_to: Annotated[MunicipalityCode | None, BeforeValidator(_municipality)] = Field(
        None, title="Kommunkod vid överflyttning", description="Kommunkod vid överflytt."
    )
    co_signed_by: CoSigner = co_signer_field()


class EndIntervention(StepInput):
    """The end of a running intervention."""

    intervention_id: Id = Field(title="Insats", description="Insatsens id.")
    ended_on: Day = Field(title="Slutdatum", description="Slutdatum (ÅÅÅÅ-MM-DD).")
    reason: Annotated[str, Field(min_length=1, max_length=MAX_REASON)] = Field(
        title="Skäl", description=f"Varför insatsen avslutas (högst {MAX_REASON} tecken)."
    )


class FollowUp(StepInput):
    """A follow-up (uppföljning) of the interventions, with how the child's view was obtained."""

    followed_up_on: Day = Field(title="Datum", description="Datum (ÅÅÅÅ-MM-DD).")
    notes: Notes = Field("", title="Anteckning", description="Anteckning.")
    # The child's voice (issue 13): required, so no follow-up is saved without it.
    voice_status: VoiceStatusField
    voice_reason: VoiceReasonField = None
    voice_reason_text: VoiceReasonText = ""
    voice_mode: VoiceModeField = None
    voice_band: VoiceBand = AUTO_BAND
    voice_alone: VoiceAlone = None
    co_signed_by: CoSigner = co_signer_field()


class ReviewPlacement(StepInput):
    """Övervägande of care in another home (SoL or LVU), perhaps revising the vårdplan."""

    intervention_id: Id = Field(title="Placering", description="Placeringens (insatsens) id.")
    reviewed_on: Day = Field(title="Datum för övervägandet", description="Datum (ÅÅÅÅ-MM-DD).")
    care_plan_revised: bool = Field(
        False, title="Vårdplanen reviderad", description="Vårdplanen reviderades (ja/nej)."
    )
    notes: Notes = Field("", title="Anteckning", description="Anteckning.")
    # The child's voice, as at a follow-up: required, so no övervägande is saved without it.
    voice_status: VoiceStatusField
    voice_reason: VoiceReasonField = None
    voice_reason_text: VoiceReasonText = ""
    voice_mode: VoiceModeField = None
    voice_band: VoiceBand = AUTO_BAND
    voice_alone: VoiceAlone = None
    co_signed_by: CoSigner = co_signer_field()


class Close(StepInput):
    """Closing a followed-up case."""

    closed_on: Day = Field(title="Avslutsdatum", description="Avslutsdatum (ÅÅÅÅ-MM-DD).")
