"""The weighted caseload as pure functions, against a table computed by hand (no database).

Points of the packaged default (models/goteborg.toml): protection assessment 2, preliminary 4,
investigation 12, follow-up 3; uplifts LVU 6, honour 6, protected identity 4, interpreter 3,
siblings 2; interventions open care 9, contact person/family 5, family home 10, HVB 10, SiS 12,
supported housing 8, jourhem 10, ungdomstjänst 6, other 6. Experience: new x1.3 (under 1 year),
familiar x1.15 (1 to 4 years), experienced x1.0 (5 years or more). Norm 150 at full time.
"""

from __future__ import annotations

import datetime as dt

import pytest

from barnskydd.cases.codes import InterventionCategory as Cat
from barnskydd.workload import model as workload_model
from barnskydd.workload import points as pts
from barnskydd.workload.points import CaseFacts, InterventionFacts, ItemKind, Uplift

D = dt.date
DAY = D(2026, 6, 15)
MODEL = workload_model.load(workload_model.DEFAULT)


def facts(case_id: int = 1, **kw: object) -> CaseFacts:
    base: dict[str, object] = {
        "case_id": case_id,
        "assigned_to_id": 1,
        "received_on": D(2026, 5, 1),
        "closed_on": None,
        "protection_on": D(2026, 5, 1),
        "preliminary_on": D(2026, 5, 10),
        "investigation_from": D(2026, 5, 10),
        "investigation_to": None,
    }
    base.update(kw)
    return CaseFacts(**base)  # type: ignore[arg-type]


JUNE_1 = D(2026, 6, 1)


def x(
    cat: Cat, decided: D = JUNE_1, ended: D | None = None, lvu: bool = False
) -> InterventionFacts:
    return InterventionFacts(category=cat, lvu=lvu, decided_on=decided, ended_on=ended)


# (case facts, its items' raw points on DAY), each row computed by hand from the table above.
CASES = [
    # 1 received the day before, nothing assessed: protection assessment pending = 2
    (facts(received_on=D(2026, 6, 14), protection_on=None, preliminary_on=None,
           investigation_from=None), 2),
    # 2 protection done, preliminary pending = 4
    (facts(protection_on=D(2026, 6, 14), preliminary_on=None, investigation_from=None), 4),
    # 3 plain investigation = 12
    (facts(), 12),
    # 4 investigation, honour-related and interpreter = 12 + 6 + 3
    (facts(honour_related=True, interpreter=True), 21),
    # 5 investigation, protected identity, siblings = 12 + 4 + 2
    (facts(protected_identity=True, siblings=True), 18),
    # 6 investigation with an LVU intervention decided during it (SiS): 12 + 6, and SiS 12
    (facts(interventions=(x(Cat.SIS_SECURE, lvu=True),)), 30),
    # 7 investigation done, family home and contact person running = 10 + 5
    (facts(investigation_to=D(2026, 5, 30),
           interventions=(x(Cat.FAMILY_HOME), x(Cat.CONTACT_PERSON_OR_FAMILY))), 15),
    # 8 open care ended before DAY, investigation done: follow-up = 3
    (facts(investigation_to=D(2026, 5, 20),
           interventions=(x(Cat.OPEN_CARE, D(2026, 5, 20), D(2026, 6, 10)),)), 3),
    # 9 closed before DAY = 0
    (facts(closed_on=D(2026, 6, 1)), 0),
    # 10 received after DAY = 0
    (facts(received_on=D(2026, 6, 16)), 0),
    # 11 investigation done with no intervention, case still open = 0
    (facts(investigation_to=D(2026, 6, 1)), 0),
    # 12 an intervention decided later than DAY does not count yet; investigation = 12
    (facts(interventions=(x(Cat.RESIDENTIAL_HVB, D(2026, 6, 20)),)), 12),
    # 13 ungdomstjänst and HVB running, LVU on an intervention does not lift it: 6 + 10
    (facts(investigation_to=D(2026, 6, 1),
           interventions=(x(Cat.YOUTH_SERVICE), x(Cat.RESIDENTIAL_HVB, lvu=True))), 16),
]  # fmt: skip


@pytest.mark.parametrize(("case", "expected"), CASES, ids=[str(i) for i in range(1, 14)])
def test_raw_points_of_each_case(case: CaseFacts, expected: int) -> None:
    items = pts.items_on(case, DAY)
    assert sum(pts.item_points(i, MODEL) for i in items) == expected


def test_the_items_of_a_case_name_their_kind_and_uplifts() -> None:
    items = pts.items_on(CASES[5][0], DAY)
    assert [(i.kind, i.category) for i in items] == [
        (ItemKind.INVESTIGATION, None),
        (ItemKind.INTERVENTION, Cat.SIS_SECURE),
    ]
    assert items[0].uplifts == {Uplift.LVU}


# (years, employment rate, expected band, points, norm) for all 13 cases held by one worker:
# raw 2+4+12+21+18+30+15+3+0+0+0+12+16 = 133.
RAW = 133
WORKERS = [
    (0, 100, pts.Band.NEW, 172.9, 150.0),  # 133 x 1.3
    (1, 100, pts.Band.FAMILIAR, 153.0, 150.0),  # 133 x 1.15 = 152.95, rounded to one decimal
    (4, 50, pts.Band.FAMILIAR, 153.0, 75.0),  # half time: half the norm
    (5, 100, pts.Band.EXPERIENCED, 133.0, 150.0),
    (30, 80, pts.Band.EXPERIENCED, 133.0, 120.0),
]


@pytest.mark.parametrize(("years", "rate", "band", "points", "norm"), WORKERS)
def test_a_workers_score(years: int, rate: int, band: pts.Band, points: float, norm: float) -> None:
    items = [i for case, _ in CASES for i in pts.items_on(case, DAY)]
    s = pts.score(items, years_experience=years, employment_rate=rate, model=MODEL)
    assert (s.raw, s.band, s.points, s.norm) == (RAW, band, points, norm)
    assert s.above_norm is (points > norm)


def test_changing_the_model_file_changes_the_points_without_code() -> None:
    text = workload_model.DEFAULT.read_text(encoding="utf-8")
    edited = workload_model.parse(text.replace("investigation = 12", "investigation = 20"))
    s = pts.score(pts.items_on(facts(), DAY), years_experience=5, employment_rate=100, model=edited)
    assert s.points == 20.0


def test_deadline_risk_counts_steps_overdue_or_due_soon_on_the_day() -> None:
    pending = facts(
        received_on=D(2026, 6, 1),
        protection_on=D(2026, 6, 1),
        preliminary_on=None,
        investigation_from=None,
        preliminary_dues=((D.min, D(2026, 6, 15)), (D(2026, 6, 10), D(2026, 7, 15))),
    )
    investigating = facts(investigation_dues=((D.min, D(2026, 6, 17)),))
    # On 06-09 the preliminary's first deadline (06-15) is 6 days off; the investigation's 8.
    assert pts.deadline_risk([pending, investigating], D(2026, 6, 9), soon_days=3) == 0
    # On 06-14 the extension (decided 06-10) moved it to 07-15; the investigation is 3 days off.
    assert pts.deadline_risk([pending, investigating], D(2026, 6, 14), soon_days=3) == 1
    assert pts.first_deadlines_on(pending, D(2026, 6, 9)) == [D(2026, 6, 15)]


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("investigation = 12", 'investigation = "tolv"', "rad 25: phases.investigation ska vara"),
        ("lvu = 6", "lvu = 6\nlvv = 2", "rad 30: uplifts.lvv är ingen nyckel i modellen"),
        ("norm = 150\n", "", "rad 16: model.norm saknas"),
        ("new = 1.3", "new = 0", "experience.new är för litet"),
        ("[alerts]", "[alerts", "inte giltig TOML"),
    ],
)
def test_a_bad_model_file_is_refused_naming_key_and_line(old: str, new: str, message: str) -> None:
    text = workload_model.DEFAULT.read_text(encoding="utf-8")
    assert old in text
    with pytest.raises(workload_model.ModelError, match=message):
        workload_model.parse(text.replace(old, new))
