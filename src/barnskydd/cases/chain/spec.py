"""One specification per step: what drives the desk's form, the API route, the CLI command.

A spec names the step's input model, its pure check and its handler, how its write is audited,
whether the national lookup must hear of it, and the few hints the edges cannot read off the
input model: the desk's widget, default and choices for a field, the CLI's command and option
names. Titles and help text come from the input model's fields.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import Enum
from typing import Annotated, Any, Protocol, get_args, get_origin

from pydantic.fields import FieldInfo
from sqlalchemy.orm import Session

from barnskydd.cases.chain import checks, handlers
from barnskydd.cases.chain import inputs as i
from barnskydd.cases.chain.checks import CaseFacts
from barnskydd.cases.chain.transitions import STEP_VERBS, Step
from barnskydd.cases.models import Case
from barnskydd.core.actor import Actor


class Record(Protocol):
    """What a handler returns: the row the audit entry names."""

    @property
    def id(self) -> int: ...


@dataclass(frozen=True, slots=True)
class Hint:
    """How the edges show one input field beyond what its type says.

    widget: the desk's widget when the type does not say it ("textarea", "text").
    options: the desk context's list of (value, label) choices for a select.
    default: the desk's value before anything is typed: "today", "now" or a literal.
    option: the CLI option's name (without --), when not the field's name with dashes.
    desk: False for a field the desk sets through another one (errors go to `errors_on`).
    """

    widget: str = ""
    options: str = ""
    default: str = ""
    option: str = ""
    rows: int = 4
    desk: bool = True
    errors_on: str = ""


@dataclass(frozen=True, slots=True)
class DeskField:
    """One field of a step's form on the desk."""

    name: str
    label: str
    widget: str
    required: bool
    options: str
    default: str
    rows: int


@dataclass(frozen=True, slots=True)
class StepSpec:
    """Everything the edges need to offer one step."""

    step: Step
    title: str
    input: type[i.StepInput]
    check: Callable[[CaseFacts, Any], None]
    handler: Callable[[Session, Actor, Case, Any], Record]
    action: str
    entity: str
    command: str
    hints: Mapping[str, Hint] = field(default_factory=dict)
    refreshes_lookup: bool = False
    purpose: str | None = None

    @property
    def verb(self) -> str:
        """What the step does, as it reads after 'Det går inte att'."""
        return STEP_VERBS[self.step]

    @property
    def fields(self) -> dict[str, FieldInfo]:
        """The input model's fields, in order."""
        return dict(self.input.model_fields)

    def hint(self, name: str) -> Hint:
        """Return the hint of a field (the empty hint when it has none)."""
        return self.hints.get(name, Hint())

    def desk_fields(self) -> list[DeskField]:
        """Return the desk form's fields, in the input model's order."""
        shown = []
        for name, info in self.fields.items():
            hint = self.hint(name)
            if hint.desk:
                shown.append(
                    DeskField(
                        name=name,
                        label=info.title or name,
                        widget=hint.widget or ("select" if hint.options else _widget(info)),
                        required=_required(info),
                        options=hint.options,
                        default=hint.default,
                        rows=hint.rows,
                    )
                )
        return shown

    def desk_errors(self, errors: Mapping[str, str]) -> dict[str, str]:
        """Move errors of fields the desk sets through another one onto that one."""
        moved: dict[str, str] = {}
        for name, message in errors.items():
            target = self.hint(name).errors_on or name
            moved.setdefault(target, message)
        return moved


def _required(info: FieldInfo) -> bool:
    """Whether the desk marks the field as one to fill in (an empty text may be allowed)."""
    if not info.is_required():
        return False
    if info.annotation is str:
        return any(getattr(m, "min_length", 0) for m in info.metadata)
    return True


def _widget(info: FieldInfo) -> str:
    kinds = {_bare(k) for k in (info.annotation, *get_args(info.annotation))} - {type(None)}
    if dt.datetime in kinds:
        return "datetime-local"
    if dt.date in kinds:
        return "date"
    if bool in kinds:
        return "yes_no"
    if int in kinds or any(isinstance(k, type) and issubclass(k, Enum) for k in kinds):
        return "select"
    return "text"


def _bare(kind: Any) -> Any:
    """The type inside Annotated[...] (an optional Day is a date, an optional YesNo a bool)."""
    return get_args(kind)[0] if get_origin(kind) is Annotated else kind


TODAY = Hint(default="today")
ON = Hint(default="today", option="on")
# Every free-text field is a textarea on the desk, and so gets dictation's record button
# (web/static/dictation.js); a text input is for a code, a number or a username.
NOTES = Hint(widget="textarea")
# The child's voice: the same choices and CLI options at every step that asks for it.
VOICE = {
    "voice_status": Hint(options="voice_statuses", option="voice"),
    "voice_reason": Hint(options="voice_reasons", option="voice-reason"),
    "voice_reason_text": Hint(widget="textarea", option="voice-reason-text", rows=2),
    "voice_mode": Hint(options="voice_modes", option="voice-mode"),
    "voice_band": Hint(options="voice_bands", default="auto", option="voice-band"),
    "voice_alone": Hint(option="voice-alone"),
}

SPECS: tuple[StepSpec, ...] = (
    StepSpec(
        Step.ASSESS_PROTECTION,
        "Skyddsbedömning",
        i.AssessProtection,
        checks.assess_protection,
        handlers.assess_protection,
        action="create",
        entity="protection_assessment",
        command="protection",
        hints={
            "assessed_at": Hint(default="now", option="at"),
            "immediate_protection_needed": Hint(option="immediate"),
            "notes": NOTES,
        },
    ),
    StepSpec(
        Step.DECIDE_PRELIMINARY,
        "Beslut efter förhandsbedömning",
        i.DecidePreliminary,
        checks.decide_preliminary,
        handlers.decide_preliminary,
        action="create",
        entity="preliminary_assessment",
        command="preliminary",
        hints={
            "decided_on": ON,
            "outcome": Hint(options="preliminary_outcomes"),
            "transferred_to": Hint(option="transfer-to"),
            "linked_case_number": Hint(option="linked"),
            "notes": NOTES,
        },
        refreshes_lookup=True,
    ),
    StepSpec(
        Step.OFFER_EARLY_HELP,
        "Inled inte utredning, erbjud tidigt stöd",
        i.OfferEarlyHelp,
        checks.offer_early_help,
        handlers.offer_early_help,
        action="create",
        entity="preliminary_assessment",
        command="early-help",
        hints={
            "decided_on": ON,
            "service": Hint(options="early_help_services"),
            "guardian_consent": Hint(option="guardian-consent"),
            "child_alone_suitable": Hint(option="child-alone-suitable"),
            "suitability_note": Hint(widget="textarea", option="suitability-note", rows=2),
            "informed_of_assessed_route": Hint(option="informed"),
            "started_on": Hint(option="start"),
            "notes": NOTES,
        },
        refreshes_lookup=True,
    ),
    StepSpec(
        Step.GIVE_EARLY_HELP,
        "Ge tidigt stöd (utan utredning av behovet)",
        i.GiveEarlyHelp,
        checks.give_early_help,
        handlers.give_early_help,
        action="create",
        entity="early_help",
        command="give-early-help",
        hints={
            "service": Hint(options="early_help_services"),
            "started_on": Hint(default="today", option="start"),
            "requested_by_family": Hint(option="requested-by-family"),
            "guardian_consent": Hint(option="guardian-consent"),
            "child_alone_suitable": Hint(option="child-alone-suitable"),
            "suitability_note": Hint(widget="textarea", option="suitability-note", rows=2),
            "informed_of_assessed_route": Hint(option="informed"),
        },
    ),
    StepSpec(
        Step.EXTEND_PRELIMINARY,
        "Förläng förhandsbedömningen",
        i.ExtendPreliminary,
        checks.extend_preliminary,
        handlers.extend_preliminary,
        action="create",
        entity="preliminary_extension",
        command="extend-preliminary",
        hints={
            "decided_on": ON,
            "new_due": Hint(option="until"),
            "reason": NOTES,
        },
    ),
    StepSpec(
        Step.RECORD_BBIC,
        "Dokumentera enligt BBIC",
        i.RecordBbic,
        checks.record_bbic,
        handlers.record_bbic,
        action="update",
        entity="bbic_note",
        command="bbic",
        hints={
            "side": Hint(desk=False, errors_on="area"),
            "area": Hint(options="bbic_areas"),
            "text": Hint(widget="textarea", rows=6),
        },
    ),
    StepSpec(
        Step.EXTEND_INVESTIGATION,
        "Förläng utredningstiden",
        i.ExtendInvestigation,
        checks.extend_investigation,
        handlers.extend_investigation,
        action="create",
        entity="investigation_extension",
        command="extend",
        hints={
            "decided_on": ON,
            "new_due": Hint(option="until"),
            "reason": NOTES,
        },
    ),
    StepSpec(
        Step.DECIDE_INTERVENTION,
        "Beslut om insats",
        i.DecideIntervention,
        checks.decide_intervention,
        handlers.decide_intervention,
        action="create",
        entity="intervention",
        command="intervention",
        hints={
            "category": Hint(options="intervention_categories"),
            "legal_basis": Hint(options="legal_bases", default="sol", option="basis"),
            "decided_on": ON,
            "start_on": Hint(option="start"),
            "judgment_final_on": Hint(option="judgment-final"),
        },
    ),
    StepSpec(
        Step.REFUSE_INTERVENTION,
        "Avslag på ansökan om insats",
        i.RefuseIntervention,
        checks.refuse_intervention,
        handlers.refuse_intervention,
        action="create",
        entity="decision",
        command="refuse-intervention",
        hints={
            "category": Hint(options="intervention_categories"),
            "applied_on": Hint(option="applied"),
            "decided_on": ON,
            "reason": NOTES,
        },
    ),
    StepSpec(
        Step.COMPLETE_INVESTIGATION,
        "Avsluta utredningen",
        i.CompleteInvestigation,
        checks.complete_investigation,
        handlers.complete_investigation,
        action="update",
        entity="investigation",
        command="complete",
        hints={
            "completed_on": ON,
            "outcome": Hint(options="investigation_outcomes"),
            "transferred_to": Hint(option="transfer-to"),
        },
        refreshes_lookup=True,
    ),
    StepSpec(
        Step.END_INTERVENTION,
        "Avsluta en insats",
        i.EndIntervention,
        checks.end_intervention,
        handlers.end_intervention,
        action="update",
        entity="intervention",
        command="end-intervention",
        hints={
            "intervention_id": Hint(options="running_interventions", option="intervention"),
            "ended_on": ON,
            "reason": Hint(widget="textarea", rows=2),
        },
    ),
    StepSpec(
        Step.FOLLOW_UP,
        "Uppföljning",
        i.FollowUp,
        checks.follow_up,
        handlers.follow_up,
        action="create",
        entity="follow_up",
        command="follow-up",
        hints={
            "followed_up_on": ON,
            "notes": NOTES,
            **VOICE,
        },
    ),
    StepSpec(
        Step.REVIEW_PLACEMENT,
        "Överväg placeringen",
        i.ReviewPlacement,
        checks.review_placement,
        handlers.review_placement,
        action="create",
        entity="placement_review",
        command="review-placement",
        hints={
            "intervention_id": Hint(options="running_placements", option="placement"),
            "reviewed_on": ON,
            "care_plan_revised": Hint(option="care-plan-revised"),
            "notes": NOTES,
            **VOICE,
        },
    ),
    StepSpec(
        Step.CLOSE,
        "Avsluta ärendet",
        i.Close,
        checks.close,
        handlers.close,
        action="update",
        entity="case",
        command="close",
        hints={"closed_on": ON},
        refreshes_lookup=True,
        purpose="avslut",
    ),
)

STEPS: dict[Step, StepSpec] = {spec.step: spec for spec in SPECS}
BY_INPUT: dict[type[i.StepInput], StepSpec] = {spec.input: spec for spec in SPECS}
