"""The thematic map's data: each theme, its subthemes (or codes), and one short quote per group.

A paper's "figure 1" gives an overview of the themes with example quotes; the
figure itself is drawn in ``figures_map.py``. Quotes follow the overview's
rules (exemplars first, whole quotes before ones to cut), at most
``MAP_MAX_WORDS`` words so that a box stays small.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from slqual.reports.model import MapRow, MapTheme, ReportOptions

if TYPE_CHECKING:
    import pandas as pd

    from slqual.reports.inputs import ReportInputs

MAP_MAX_WORDS = 25


def thematic_map(
    inputs: ReportInputs, options: ReportOptions, prevalence: pd.DataFrame
) -> tuple[MapTheme, ...]:
    """Coded themes (those chosen with --theme, or all) with their coded subthemes and a quote per group."""
    from slqual.reports.tables import _cells, chosen_themes, theme_candidates

    book = inputs.codebook
    coded = inputs.coded
    coded_themes = set(coded["theme"].unique())  # once, not once per theme
    themes = [t for t in chosen_themes(inputs, options) if t.id in coded_themes]
    if not themes:
        return ()
    lo = options.min_words
    hi = max(lo, min(options.max_words, MAP_MAX_WORDS))
    candidates = theme_candidates(inputs)
    candidates = candidates.assign(_long=candidates["words"] > hi).sort_values(
        ["exemplar", "_long", "segment_id"], ascending=[False, True, True], kind="stable"
    )
    cells = _cells(candidates, "theme", [t.id for t in themes], inputs, 1, lo, hi)
    # The subtheme (child of the theme) each coded code sits under; a theme coded itself has none.
    below = {}
    for code in coded["code"].unique():
        chain = book.ancestors(code)
        below[code] = chain[1].id if len(chain) > 1 else ""
    people = coded.assign(_sub=coded["code"].map(below)).groupby("_sub")["participant_id"].nunique()
    out = []
    for theme in themes:
        rows = tuple(
            MapRow(child.id, child.name, int(people[child.id]))
            for child in theme.children
            if child.id in people
        )
        quotes = []
        for group in inputs.groups:
            cell = cells.get((theme.id, group.value))
            quotes.append((group.label, cell.quotes[0] if cell is not None and cell.quotes else None))
        out.append(MapTheme(theme.id, theme.name, rows, tuple(quotes)))
    return tuple(out)
