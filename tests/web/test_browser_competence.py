"""Competence in real headless Chromium: the team lead records a new worker's introduction and
reads Öppna jämförelser; axe-core runs on each of the three pages."""

from __future__ import annotations

from pathlib import Path

from tests.web.browser import MARKS, assert_accessible, open_page, serve

pytestmark = MARKS


def test_the_team_lead_walks_the_competence_pages(tmp_path: Path) -> None:
    from playwright.sync_api import expect

    with serve(tmp_path / "competence.db") as url, open_page(url) as page:
        page.goto("/logga-in")
        page.get_by_label("Användarnamn").fill("arbetsledare")
        page.get_by_label("Lösenord").fill("demo")
        page.get_by_role("button", name="Logga in").click()
        page.get_by_role("link", name="Kompetens", exact=True).click()
        expect(page.get_by_role("heading", name="Kompetens", exact=True)).to_be_visible()
        assert_accessible(page, "kompetens")

        page.get_by_role("link", name="Handlaggare").click()
        expect(page.get_by_role("heading", name="Kompetens: Handlaggare")).to_be_visible()
        page.get_by_label("Start").fill("2025-09-01")
        page.get_by_label("Mentor (användarnamn)").fill("arbetsledare")
        page.get_by_role("button", name="Starta introduktion").click()
        expect(page.get_by_text("0 av 8 delar klara")).to_be_visible()
        assert_accessible(page, "kompetens, medarbetare")

        page.goto("/kompetens/oppna-jamforelser?datum=2026-01-01")
        expect(
            page.get_by_role("heading", name="Öppna jämförelser: kompetens 2026-01-01")
        ).to_be_visible()
        expect(page.get_by_role("table")).to_contain_text("Socionomexamen")
        assert_accessible(page, "öppna jämförelser")
