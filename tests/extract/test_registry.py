"""Every table of the model registry says how it is extracted, or why it holds nothing."""

from __future__ import annotations

import barnskydd.models as registry
from barnskydd.extract.collect import RULES, Collected, Nothing, Within


def test_every_table_of_the_registry_has_an_extract_rule() -> None:
    tables = set(registry.Base.metadata.tables)
    assert sorted(tables - RULES.keys()) == [], (
        "tables without an extract rule in barnskydd.extract.collect.RULES: say how a new "
        "table is extracted (Collected, Within) or why it holds nothing about a person (Nothing)"
    )
    assert sorted(RULES.keys() - tables) == [], "rules for tables that no longer exist"


def test_a_table_extracted_within_another_names_a_collected_table() -> None:
    for table, rule in RULES.items():
        if isinstance(rule, Within):
            assert isinstance(RULES[rule.table], Collected), table
        if isinstance(rule, Nothing):
            assert rule.reason.strip(), table


def test_every_table_with_a_personal_data_column_is_collected() -> None:
    for table in registry.Base.metadata.sorted_tables:
        personal = [c.name for c in table.columns if "personal data" in (c.comment or "")]
        if personal:
            assert not isinstance(RULES[table.name], Nothing), (table.name, personal)
