"""The Excel workbook of a release: an about sheet, then one sheet per table with every year."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from openpyxl import Workbook
from openpyxl.styles import Font

from barnskydd.stats.measures import MEASURES

if TYPE_CHECKING:
    from barnskydd.stats.release import Release


def write(release: Release, path: Path) -> None:
    """Write the workbook; suppressed cells stay empty, as in the CSV files."""
    from barnskydd.stats.release import columns

    book = Workbook()
    about = book.active
    about.title = "Om statistiken"
    about.append(["Barnskydd: orosanmälningar om barn, nationell statistik"])
    about["A1"].font = Font(bold=True)
    about.append(["År", ", ".join(str(y) for y in release.years)])
    about.append(["Skydd", release.protection])
    for name, value in release.parameters.items():
        about.append([name, value])
    about.append(["Tomma celler", "undertryckta för att skydda enskilda barn (se report.html)"])
    about.append(["Per 1 000 barn", next(iter(release.population.labels.values()), "")])
    with_dp = release.protection == "dp"
    for measure in MEASURES:
        sheet = book.create_sheet(measure.name[:31])
        header = columns(measure, with_moe=with_dp)
        sheet.append(header)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for year in release.years:
            for row in release.rows(measure, year):
                sheet.append([row.get(c) for c in header])
        sheet.freeze_panes = "A2"
    book.save(path)
