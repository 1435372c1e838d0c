"""Early help in the synthetic municipality: the nämnd's catalogue and screened-out reports.

Not calibrated on published figures (there are none yet: the possibility came with SoL
2025:400 on 2025-07-01). The catalogue follows what a nämnd's 2025 list named (samtalsstöd,
föräldrastöd, gruppverksamhet; handlingar.se, Socialnämnden SON 2025/238, see
../shared/research/capabilities.md section 6), decided 2025-06-10 and offered from
2025-07-01. About EARLY_HELP_SHARE of the reports not opened from then on are screened out
with early help instead, always with the guardian's consent and the 11 kap. 6 § information;
about DURING_SHARE of the investigations opened from then on also give the family early help
while the investigation runs (the step `give_early_help`), some at the family's own request.
Each case draws from a random stream of its own, so the rest of the municipality is the same
for a seed. Everything goes through the early-help service and the chain.
"""

from __future__ import annotations

import datetime as dt
import random

from sqlalchemy import select
from sqlalchemy.orm import Session

from barnskydd.cases.chain import inputs as step
from barnskydd.cases.codes import PreliminaryOutcome
from barnskydd.core.actor import SYSTEM
from barnskydd.early_help import service as early_help
from barnskydd.early_help.models import EarlyHelpService

EARLY_HELP_SHARE = 0.15
DURING_SHARE = 0.1
ASKED_SHARE = 0.4  # of those, at the family's own request
DECIDED_ON = dt.date(2025, 6, 10)
OFFERED_FROM = dt.date(2025, 7, 1)
CATALOGUE = (
    ("samtalsstod", "Samtalsstöd för barn och unga", "conversation_support"),
    ("foraldrastod", "Föräldrastöd i grupp", "parenting_support"),
    ("gruppverksamhet", "Gruppverksamhet för barn i familjer med oro", "group_activity"),
)


def catalogue(session: Session) -> None:
    """Record the nämnd's decided catalogue (once)."""
    if session.scalar(select(EarlyHelpService.id).limit(1)) is not None:
        return
    for code, name, kind in CATALOGUE:
        early_help.add_service(
            session,
            actor=SYSTEM,
            new=early_help.NewService(
                code=code,
                name=name,
                kind=kind,
                decided_by="Socialnämnden",
                decided_on=DECIDED_ON,
                decision_ref="SN 2025/100 (syntetiskt)",
                valid_from=OFFERED_FROM,
                provider="Öppenvården",
            ),
        )


def instead(
    case_id: int, decided_on: dt.date, outcome: PreliminaryOutcome
) -> step.OfferEarlyHelp | None:
    """Return the early-help step to take instead of 'not opened', for some reports."""
    if outcome is not PreliminaryOutcome.NOT_OPENED or decided_on < OFFERED_FROM:
        return None
    rng = random.Random(f"early-help:{case_id}")
    if rng.random() >= EARLY_HELP_SHARE:
        return None
    code = rng.choice(CATALOGUE)[0]
    return step.OfferEarlyHelp(
        decided_on=decided_on,
        service=code,
        guardian_consent=True,
        informed_of_assessed_route=True,
        notes="Vårdnadshavarna tackade ja till stödet (syntetiskt).",
    )


def during(case_id: int, opened_on: dt.date, completed_on: dt.date) -> step.GiveEarlyHelp | None:
    """Return early help to give while an investigation runs, for some investigations."""
    if opened_on < OFFERED_FROM or (completed_on - opened_on).days < 2:
        return None
    rng = random.Random(f"early-help-during:{case_id}")
    if rng.random() >= DURING_SHARE:
        return None
    return step.GiveEarlyHelp(
        service=rng.choice(CATALOGUE)[0],
        started_on=opened_on
        + dt.timedelta(days=rng.randint(1, (completed_on - opened_on).days - 1)),
        requested_by_family=rng.random() < ASKED_SHARE,
        guardian_consent=True,
        informed_of_assessed_route=True,
    )
