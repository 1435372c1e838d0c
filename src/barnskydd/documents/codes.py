"""The document code lists and their Swedish labels (docs/glossary.md explains each term)."""

from __future__ import annotations

from enum import StrEnum


class DocumentKind(StrEnum):
    INCOMING = "incoming"
    DRAWN_UP = "drawn_up"


KIND_LABELS: dict[DocumentKind, str] = {
    DocumentKind.INCOMING: "Inkommen handling",
    DocumentKind.DRAWN_UP: "Upprättad handling",
}
