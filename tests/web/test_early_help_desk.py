"""The early-help step on the desk: the catalogue as a select, consent refused by its field."""

from __future__ import annotations

import datetime as dt

from barnskydd.cases.models import Case
from barnskydd.core.actor import SYSTEM
from barnskydd.core.clock import SWEDEN
from barnskydd.core.db import make_engine, session_factory, transaction
from barnskydd.core.settings import Settings
from barnskydd.early_help import service as early_help
from barnskydd.early_help.models import EarlyHelp
from tests.web.conftest import TestClient, login
from tests.web.test_pages import _local, count, register, step


def test_the_desk_offers_the_catalogue_and_refuses_a_missing_consent_by_field(
    client: TestClient, settings: Settings
) -> None:
    engine = make_engine(settings.database_url)
    with transaction(session_factory(engine)) as session:
        early_help.add_service(
            session,
            actor=SYSTEM,
            new=early_help.NewService(
                code="samtalsstod",
                name="Samtalsstöd för barn",
                kind="conversation_support",
                decided_by="Socialnämnden",
                decided_on=dt.date(2025, 6, 10),
                decision_ref="SN 2025/100",
                valid_from=dt.date(2025, 7, 1),
            ),
        )
    engine.dispose()
    login(client, "handlaggare")
    number = register(client)
    taken = step(
        client,
        number,
        "assess_protection",
        assessed_at=_local(dt.datetime.now(SWEDEN)),
        immediate_protection_needed="nej",
    )
    assert taken.status_code == 200, taken.text
    page = client.get(f"/arenden/{number}").text
    assert f'action="/arenden/{number}/steg/offer_early_help"' in page
    assert "Samtalsstöd för barn (Samtalsstöd)" in page
    fields = {
        "decided_on": dt.date.today().isoformat(),
        "service": "samtalsstod",
        "informed_of_assessed_route": "ja",
    }
    refused = step(client, number, "offer_early_help", guardian_consent="nej", **fields)
    assert refused.status_code == 422
    assert 'id="offer_early_help-guardian_consent-fel"' in refused.text
    assert "21 kap. 2 § socialtjänstlagen (2025:400)" in refused.text
    assert count(settings, EarlyHelp) == 0
    done = step(client, number, "offer_early_help", guardian_consent="ja", **fields)
    assert done.status_code == 200, done.text
    assert "Utredning inleds inte, tidigt stöd erbjuds" in done.text
    assert "Samtalsstöd för barn, med vårdnadshavarens samtycke" in done.text
    assert "SN 2025/100" in done.text
    assert count(settings, EarlyHelp) == 1
    assert count(settings, Case) == 1


def test_the_desk_gives_early_help_in_an_open_case_with_swedish_errors_by_field(
    client: TestClient, settings: Settings
) -> None:
    engine = make_engine(settings.database_url)
    with transaction(session_factory(engine)) as session:
        early_help.add_service(
            session,
            actor=SYSTEM,
            new=early_help.NewService(
                code="foraldrastod",
                name="Föräldragrupp",
                kind="parenting_support",
                decided_by="Socialnämnden",
                decided_on=dt.date(2025, 6, 10),
                decision_ref="SN 2025/101",
                valid_from=dt.date(2025, 7, 1),
            ),
        )
    engine.dispose()
    login(client, "handlaggare")
    number = register(client)
    today = dt.date.today().isoformat()
    step(
        client,
        number,
        "assess_protection",
        assessed_at=_local(dt.datetime.now(SWEDEN)),
        immediate_protection_needed="nej",
    )
    opened = step(
        client, number, "decide_preliminary", decided_on=today, outcome="investigation_opened"
    )
    assert opened.status_code == 200, opened.text
    page = client.get(f"/arenden/{number}").text
    assert f'action="/arenden/{number}/steg/give_early_help"' in page
    assert "På familjens egen begäran?" in page
    fields = {"started_on": today, "informed_of_assessed_route": "ja", "guardian_consent": "ja"}
    excluded = step(client, number, "give_early_help", service="family_home", **fields)
    assert excluded.status_code == 422
    assert 'id="give_early_help-service-fel"' in excluded.text
    assert "Vård i familjehem kräver alltid individuell behovsprövning" in excluded.text
    unconsented = step(
        client, number, "give_early_help", service="foraldrastod", **{
            **fields, "guardian_consent": "nej"
        }
    )  # fmt: skip
    assert unconsented.status_code == 422
    assert 'id="give_early_help-guardian_consent-fel"' in unconsented.text
    assert count(settings, EarlyHelp) == 0
    done = step(
        client, number, "give_early_help", service="foraldrastod", requested_by_family="ja",
        **fields,
    )  # fmt: skip
    assert done.status_code == 200, done.text
    assert "Föräldragrupp under utredningen, på familjens egen begäran" in done.text
    assert count(settings, EarlyHelp) == 1
