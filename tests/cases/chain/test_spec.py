"""Every step is reachable everywhere, and the docs say what the code does."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import typer
from starlette.datastructures import State

from barnskydd.cases.chain import STEPS
from barnskydd.cases.chain.transitions import TRANSITIONS, Step
from barnskydd.cases.codes import CaseStatus
from barnskydd.cli import case as case_cli
from barnskydd.web.api import create_api
from barnskydd.web.step_views import router as desk_steps

ROOT = Path(__file__).resolve().parents[3]
DOCS = ROOT / "docs"
SRC = ROOT / "src" / "barnskydd"


def _section(path: Path, start: str) -> str:
    return path.read_text(encoding="utf-8").split(start, 1)[1].split("\n## ", 1)[0]


def test_every_step_has_a_spec_a_form_a_route_a_command_and_a_glossary_entry() -> None:
    assert set(STEPS) == set(Step)
    desk = {route.path for route in desk_steps.routes}  # type: ignore[attr-defined]
    assert desk == {"/arenden/{case_number}/steg/{step}"}
    paths = create_api(State()).openapi()["paths"]
    api = {p.rsplit("/", 1)[1]: paths[p]["post"] for p in paths if "/steps/" in p}
    commands = typer.main.get_command(case_cli.app).commands  # type: ignore[attr-defined]
    glossary = _section(DOCS / "glossary.md", "(`Step`)")
    for step, spec in STEPS.items():
        shown = {f.name for f in spec.desk_fields()}
        for name in spec.fields:
            assert name in shown or spec.hint(name).errors_on in shown, (step, name)
        body = api[step.value]["requestBody"]["content"]["application/json"]["schema"]
        assert body == {"$ref": f"#/components/schemas/{spec.input.__name__}"}
        options = {o for p in commands[spec.command].params for o in p.opts}
        for name in spec.fields:
            assert "--" + (spec.hint(name).option or name.replace("_", "-")) in options
        assert re.search(rf"^\| `{step.value}` \|", glossary, flags=re.MULTILINE), step


# The step forms' text inputs that are no free text: a municipality code, a case number, a
# username. Every other text field is free text, so a textarea with dictation's record button.
NOT_FREE_TEXT = {"transferred_to", "linked_case_number", "co_signed_by"}


def test_every_free_text_field_of_a_step_form_is_a_textarea_with_dictation() -> None:
    seen = set()
    for step, spec in STEPS.items():
        for field in spec.desk_fields():
            if field.widget in ("text", "textarea"):
                seen.add(field.name)
                wanted = "text" if field.name in NOT_FREE_TEXT else "textarea"
                assert field.widget == wanted, (step, field.name)
    assert seen >= NOT_FREE_TEXT  # the list names fields that exist
    assert seen >= {"notes", "reason", "text", "voice_reason_text", "suitability_note"}


def test_the_api_doc_lists_each_steps_body_as_the_input_model_has_it() -> None:
    table = _section(DOCS / "api.md", "The steps, one route")
    rows = re.findall(r"^\| `([a-z_]+)` \| (.*) \|$", table, flags=re.MULTILINE)
    documented = {
        step: re.findall(r"`([a-z_]+)`", re.sub(r"\([^)]*\)", "", body)) for step, body in rows
    }
    assert documented == {s.value: list(spec.fields) for s, spec in STEPS.items()}


def mermaid() -> str:
    """Return the chain's diagram as docs/chain.md has it, made from TRANSITIONS."""
    lines = [
        "```mermaid",
        "stateDiagram-v2",
        f"    [*] --> {CaseStatus.AWAITING_PROTECTION_ASSESSMENT}",
    ]
    for (status, step), targets in TRANSITIONS.items():
        for outcome, target in targets.items():
            label = f"{step} ({outcome})" if outcome else str(step)
            lines.append(f"    {status} --> {target}: {label}")
    lines += [f"    {CaseStatus.CLOSED} --> [*]", "```"]
    return "\n".join(lines)


def test_the_chains_diagram_is_the_transition_table() -> None:
    assert mermaid() in (DOCS / "chain.md").read_text(encoding="utf-8"), (
        "docs/chain.md's diagram is stale: paste tests.cases.chain.test_spec.mermaid()"
    )


def test_cases_imports_nothing_from_the_lookup() -> None:
    found = []
    for path in (SRC / "cases").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module, *(f"{node.module}.{a.name}" for a in node.names)]
            elif isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            found += [f"{path.name}: {n}" for n in names if n.startswith("barnskydd.lookup")]
    assert found == []


def test_the_desk_and_the_cli_tell_the_lookup_of_steps() -> None:
    # A fresh interpreter: this one has imported the lookup's outbox already.
    code = (
        "from barnskydd.web.app import create_app; from barnskydd.core.settings import Settings;"
        "import barnskydd.cli; from barnskydd.cases import hooks;"
        "create_app(Settings(mode='demo', database_url='sqlite://'));"
        "print([s.__module__ for s in hooks.subscribers()])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "['barnskydd.lookup.outbox']"
