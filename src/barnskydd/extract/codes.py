"""The extract's code lists: who asked, and the secrecy grounds an item may be withheld under.

Every ground carries its paragraph and whether the statute text was read, as the deadline
rule sets do (`confirmed`); see docs/extract.md for the sources.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Requester(StrEnum):
    """Who made the request: the person, a guardian for a child, or a legal representative."""

    SELF = "self"
    GUARDIAN = "guardian"
    REPRESENTATIVE = "representative"


REQUESTER_LABELS = {
    Requester.SELF: "Den enskilde själv",
    Requester.GUARDIAN: "Vårdnadshavare för barnet",
    Requester.REPRESENTATIVE: "Ställföreträdare (god man, förvaltare, ombud)",
}


class Ground(StrEnum):
    """A secrecy ground under which an item is withheld from the extract."""

    REPORTER = "osl_26_5"
    OTHER_PERSON = "osl_26_1"
    GUARDIAN_HARM = "osl_12_3"


@dataclass(frozen=True, slots=True)
class GroundInfo:
    """A ground's label, paragraph and whether the paragraph was confirmed from the statute."""

    label: str
    reference: str
    confirmed: bool
    note: str


GROUNDS: dict[Ground, GroundInfo] = {
    Ground.REPORTER: GroundInfo(
        label="Anmälarens identitet",
        reference="26 kap. 5 § offentlighets- och sekretesslagen (2009:400)",
        confirmed=True,
        note="Uppgift i en anmälan eller utsaga från en enskild, och vem som lämnat den, är "
        "sekretessbelagd mot den som uppgiften angår om det kan antas att den som lämnat "
        "uppgiften eller någon närstående utsätts för våld eller annat allvarligt men.",
    ),
    Ground.OTHER_PERSON: GroundInfo(
        label="Uppgift om en annan enskild",
        reference="26 kap. 1 § offentlighets- och sekretesslagen (2009:400)",
        confirmed=True,
        note="Socialtjänstsekretessen skyddar andra enskildas personliga förhållanden; "
        "12 kap. 1 § häver den bara mot den enskilde själv.",
    ),
    Ground.GUARDIAN_HARM: GroundInfo(
        label="Barnet skulle lida betydande men (mot vårdnadshavare)",
        reference="12 kap. 3 § offentlighets- och sekretesslagen (2009:400)",
        confirmed=True,
        note="Mot vårdnadshavaren gäller sekretessen för uppgift om barnet om barnet kan "
        "antas lida betydande men om uppgiften lämnas till vårdnadshavaren.",
    ),
}
GROUND_LABELS = {ground: info.label for ground, info in GROUNDS.items()}

# GDPR art. 12.3: "without undue delay and in any event within one month of receipt of the
# request" (read in the regulation's text, eulaw.online/l/reg-679-2016/article/12); counted
# here as lag (1930:173) counts a month (EU förordning 1182/71 counts the same way: the
# same date of the next month, moved past a Saturday, Sunday or holiday; not read).
DEADLINE_MONTHS = 1
# Art. 12.3 goes on: "That period may be extended by two further months where necessary,
# taking into account the complexity and number of the requests. The controller shall inform
# the data subject of any such extension within one month of receipt of the request, together
# with the reasons for the delay." (the same reading as above).
EXTENSION_MONTHS = 2
DEADLINE_REFERENCE = "artikel 12.3 dataskyddsförordningen (EU) 2016/679"
