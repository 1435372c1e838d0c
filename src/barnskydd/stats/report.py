"""report.html: the page a person reads first, in Swedish, rendered with autoescaping."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from jinja2 import Environment, StrictUndefined

from barnskydd.cases.codes import CONCERN_LABELS, REPORTER_LABELS, Concern, ReporterCategory
from barnskydd.reference import municipalities as reference
from barnskydd.stats.measures import MEASURES, MEASURES_BY_NAME

if TYPE_CHECKING:
    from barnskydd.stats.release import Release

SUPPRESSED = "–"


def number(value: Any, moe: Any = None) -> str:
    """Format a count the Swedish way (thin spaces, decimal comma); a dash when suppressed."""
    if value is None:
        return SUPPRESSED
    text = f"{value:,}".replace(",", "\u202f").replace(".", ",")
    return text if moe is None else f"{text} ± {number(moe)}"


def _total(rows: list[dict[str, Any]], column: str) -> int | None:
    """Return a column's sum, or None when a suppressed cell makes it unknown."""
    values = [r[column] for r in rows]
    return None if any(v is None for v in values) else sum(values)


def _context(release: Release, charts: list[str]) -> dict[str, Any]:
    """Return what the template shows."""
    names = {m.code: m.name for m in reference.all_municipalities()}
    years = []
    for year in reversed(release.years):
        funnel = release.rows(MEASURES_BY_NAME["funnel_by_reporter"], year)
        rereports = release.rows(MEASURES_BY_NAME["rereports"], year)[0]
        timeliness = {
            r["municipality_code"]: r
            for r in release.rows(MEASURES_BY_NAME["timeliness_by_municipality"], year)
        }
        municipalities = [
            {**r, **timeliness[r["municipality_code"]], "name": names[r["municipality_code"]]}
            for r in release.rows(MEASURES_BY_NAME["reports_by_municipality"], year)
        ]
        years.append(
            {
                "year": year,
                "reports": _total(funnel, "reports"),
                "opened": _total(funnel, "investigation_opened"),
                "rereports": rereports,
                "multi": release.rows(MEASURES_BY_NAME["multi_municipality"], year)[0],
                "funnel": [
                    {**r, "label": REPORTER_LABELS[ReporterCategory(r["reporter_category"])]}
                    for r in funnel
                ],
                "concerns": [
                    {**r, "label": CONCERN_LABELS[Concern(r["concern"])]}
                    for r in release.rows(MEASURES_BY_NAME["funnel_by_concern"], year)
                ],
                "municipalities": municipalities,
            }
        )
    return {
        "release": release,
        "years": years,
        "charts": charts,
        "measures": MEASURES,
        "dp": release.protection == "dp",
        "population_label": next(iter(release.population.labels.values()), ""),
    }


def render(release: Release, charts: list[str]) -> str:
    """Return report.html for a release."""
    env = Environment(
        autoescape=True, undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True
    )
    env.filters["n"] = number
    return env.from_string(TEMPLATE).render(**_context(release, charts))


TEMPLATE = """<!doctype html>
<html lang="sv">
<head>
<meta charset="utf-8">
<title>Orosanmälningar om barn – nationell statistik</title>
<style>
body { font-family: system-ui, sans-serif; max-width: 70rem; margin: 2rem auto; }
table { border-collapse: collapse; margin: 1rem 0; } td, th { padding: .2rem .6rem; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
tr:nth-child(even) { background: #f3f5f8; }
.note { background: #fff8e1; border-left: 4px solid #e0a800; padding: .5rem 1rem; }
</style>
</head>
<body>
{% macro cell(r, c) %}<td class="n">{{ r[c] | n(r.get(c ~ "_moe95")) }}</td>{% endmacro %}
{% macro funnel(r) %}{% for c in ("reports", "investigation_opened", "with_interventions") %}
{{ cell(r, c) }}{% endfor %}{% endmacro %}
<h1>Orosanmälningar om barn – nationell statistik
{{ release.years[0] }}–{{ release.years[-1] }}</h1>
<section class="note">
<h2>Läs detta först</h2>
<p>Statistiken bygger på pseudonymiserade uttag från {{ release.inputs.municipalities }} kommuner
({{ release.inputs.reports | n }} anmälningar). Inga namn eller personnummer lämnar kommunerna;
samma barn känns igen mellan kommuner med en nyckelkodad pseudonym.</p>
{% if dp %}
<p><strong>Skydd: differentiell integritet.</strong> Varje tal har fått slumpmässigt brus så att
ingen kan avgöra om ett enskilt barn finns med. Talet efter ± är en felmarginal: med 95 %
sannolikhet ligger det sanna värdet inom den. Hela publiceringen använder en integritetsbudget
ε = {{ release.parameters.epsilon }}; varje barn bidrar med högst
{{ release.parameters.max_reports_per_child }} anmälningar per år.</p>
{% else %}
<p><strong>Skydd: undertryckning.</strong> Tal från 1 till {{ release.parameters.threshold - 1 }}
visas inte (–). Ytterligare celler är tomma så att ingen dold uppgift kan räknas fram ur
summor, andra tabeller eller skillnader mellan tabeller. Övriga tal är exakta.</p>
{% endif %}
<p><strong>Anmälningar per 1 000 barn</strong> är en uppskattning, inte SCB:s siffra:
{{ population_label }}.</p>
<p>Barn som anmäls igen räknas om en ny anmälan kommit in en senare månad inom 12 månader;
för det senaste året är uppgiften ofullständig eftersom uppföljningstiden inte har gått ut.</p>
</section>
{% for chart in charts %}<img src="{{ chart }}" alt="Diagram" style="max-width:100%">
{% endfor %}
{% for y in years %}
<h2>{{ y.year }}</h2>
<ul>
<li>Anmälningar: {{ y.reports | n }}; varav utredning inleds: {{ y.opened | n }}</li>
<li>Anmälda barn: {{ y.rereports.children | n(y.rereports.get("children_moe95")) }};
anmälda igen inom 12 månader:
{{ y.rereports.children_rereported_within_12_months
   | n(y.rereports.get("children_rereported_within_12_months_moe95")) }}</li>
<li>Barn anmälda i mer än en kommun:
{{ y.multi.children_in_more_than_one_municipality
   | n(y.multi.get("children_in_more_than_one_municipality_moe95")) }}</li>
</ul>
<h3>Från anmälan till insats, per anmälare</h3>
<table><tr><th>Anmälare</th><th>Anmälningar</th><th>Utredning inleds</th><th>Insats</th></tr>
{% for r in y.funnel %}<tr><td>{{ r.label }}</td>{{ funnel(r) }}</tr>
{% endfor %}</table>
<h3>Från anmälan till insats, per oro</h3>
<table><tr><th>Oro</th><th>Anmälningar</th><th>Utredning inleds</th><th>Insats</th></tr>
{% for r in y.concerns %}<tr><td>{{ r.label }}</td>{{ funnel(r) }}</tr>
{% endfor %}</table>
<h3>Per kommun</h3>
<table><tr><th>Kommun</th><th>Anmälningar</th><th>Barn</th>
<th>Per 1 000 barn (uppskattning)</th><th>Förhandsbedömningar</th><th>varav i tid</th>
<th>Avslutade utredningar</th><th>varav i tid</th></tr>
{% for r in y.municipalities %}<tr><td>{{ r.name }} ({{ r.municipality_code }})</td>
{% for c in ("reports", "children", "reports_per_1000_children", "preliminary_decided",
             "preliminary_on_time", "investigations_completed", "investigations_on_time") %}
{{ cell(r, c) }}{% endfor %}</tr>
{% endfor %}</table>
{% endfor %}
<h2>Filer</h2>
<p>Tabellerna finns som CSV per år (katalogerna {{ release.years | join(", ") }}), i
arbetsboken <a href="barnskydd-statistik.xlsx">barnskydd-statistik.xlsx</a> och beskrivs i
<a href="release.json">release.json</a>. Källa för folkmängd: SCB via Kolada.</p>
</body>
</html>
"""
