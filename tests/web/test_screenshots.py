"""The suite leaves the work tree as it found it: screenshots go to docs/ only when asked."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.web.browser import SCREENSHOTS_ENV, screenshot_folder

ROOT = Path(__file__).parents[2]


def test_screenshots_go_to_a_temporary_folder_unless_one_is_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(SCREENSHOTS_ENV, raising=False)
    assert screenshot_folder(tmp_path / "tmp") == tmp_path / "tmp"
    monkeypatch.setenv(SCREENSHOTS_ENV, str(tmp_path / "docs"))
    assert screenshot_folder(tmp_path / "tmp") == tmp_path / "docs"
    assert (tmp_path / "docs").is_dir()


def test_the_browser_tests_write_outside_the_work_tree(screenshots: Path) -> None:
    if os.environ.get(SCREENSHOTS_ENV):
        pytest.skip("make screenshots names the folder on purpose")
    assert not screenshots.resolve().is_relative_to(ROOT.resolve())
