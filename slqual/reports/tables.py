"""Every report table, built once as a DataFrame from the checked inputs.

Rows and counts follow the codebook tree: a theme or code row counts the
participants and segments coded with it *or any code below it*; quote rows in
a theme table take the segments coded with exactly that code. At
``--level theme`` everything is rolled up to the themes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from slqual.errors import ReportError
from slqual.reports.figure_data import cooccurrence_frame, positions_in, saturation_frame
from slqual.reports.model import Level, QuoteCell, ReportOptions, Table, TableKind
from slqual.reports.quotes import QuoteStyle, fill_table, spans_longer_than
from slqual.reports.stats import FISHER_LABEL, FISHER_NOTE, fisher_p_values, format_p

if TYPE_CHECKING:
    import pandas as pd

    from slqual.reports.inputs import ReportInputs

OVERVIEW_MAX_WORDS = 40
ANY_CODE = "Any code"
LONG_FIXED = ["segment_id", "document", "participant_id"]
LONG_CODE = ["theme", "code", "code_path", "coder", "exemplar", "text"]
LONG_QUOTE = ["quote_method", "quote_start", "quote_end", "quote_offsets"]


@dataclass(frozen=True)
class Row:
    """A theme or code row of the prevalence table and the participant x code matrix."""

    id: str
    theme: str
    level: str  # "theme" or "code"
    name: str  # the code's names below its theme, e.g. "Understanding > Shared vision"
    depth: int
    label: str  # the node's own name, e.g. "Shared vision"


@dataclass(frozen=True)
class BuiltTables:
    tables: tuple[Table, ...]
    prevalence: pd.DataFrame
    cooccurrence: pd.DataFrame
    saturation: pd.DataFrame
    uncoded: str = ""  # the note naming themes and codes nobody coded


def safe_key(text: str) -> str:
    """A file- and sheet-safe name."""
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", text).strip("_") or "table"


def report_rows(inputs: ReportInputs) -> list[Row]:
    book = inputs.codebook
    rows = []
    for theme in book.themes:
        rows.append(Row(theme.id, theme.id, "theme", theme.name, 0, theme.name))
        if inputs.level is Level.subtheme:
            rows.extend(Row(n.id, theme.id, "code", n.name, 1, n.name) for n in theme.children)
        elif inputs.level is Level.code:
            for node in book.descendants(theme.id, include_self=False):
                name = " > ".join(n.name for n in book.ancestors(node.id)[1:])
                rows.append(Row(node.id, theme.id, "code", name, node.depth, node.name))
    return rows


def rolled_up(inputs: ReportInputs, rows: list[Row]) -> pd.DataFrame:
    """One row per (report row, segment): each coded segment under its code and every ancestor."""
    import pandas as pd

    wanted = {r.id for r in rows}
    coded = inputs.coded
    chains = {
        code: [n.id for n in inputs.codebook.ancestors(code) if n.id in wanted]
        for code in coded["code"].unique()
    }
    frame = coded[["segment_id", "participant_id", "group", "code"]].copy()
    frame["row"] = frame["code"].map(chains)
    frame = frame.explode("row").dropna(subset=["row"])
    if frame.empty:
        return pd.DataFrame(columns=["segment_id", "participant_id", "group", "row"])
    return frame.drop_duplicates(["row", "segment_id"])[["segment_id", "participant_id", "group", "row"]]


def prevalence_counts(inputs: ReportInputs, rows: list[Row], rolled: pd.DataFrame, test: str | None):
    """Numeric prevalence: per row and group, participants who voiced it, N, share, segments."""
    import pandas as pd

    ids = [r.id for r in rows]
    frame = pd.DataFrame(
        {
            "theme": [r.theme for r in rows],
            "code": ids,
            "level": [r.level for r in rows],
            "depth": [r.depth for r in rows],
            "name": [r.name for r in rows],
            "label": [r.label for r in rows],
        }
    )
    people = rolled.groupby(["row", "group"])["participant_id"].nunique()
    segs = rolled.groupby(["row", "group"]).size()
    for g in inputs.groups:
        hits = [int(people.get((i, g.value), 0)) for i in ids]
        frame[f"{g.value}_participants"] = hits
        frame[f"{g.value}_N"] = g.n
        frame[f"{g.value}_share"] = [round(h / g.n, 4) for h in hits]
        frame[f"{g.value}_segments"] = [int(segs.get((i, g.value), 0)) for i in ids]
    total_n = sum(g.n for g in inputs.groups)
    everyone = rolled.groupby("row")["participant_id"].nunique()
    frame["all_participants"] = [int(everyone.get(i, 0)) for i in ids]
    frame["all_N"] = total_n
    frame["all_share"] = [round(h / total_n, 4) for h in frame["all_participants"]]
    frame["all_segments"] = [int(n) for n in rolled.groupby("row").size().reindex(ids, fill_value=0)]
    if test == "fisher":
        if len(inputs.groups) != 2:
            raise ReportError(
                f"--test fisher compares two groups; '{inputs.by}' has {len(inputs.groups)} "
                "(choose another --by or narrow the groups with --where)"
            )
        a, b = inputs.groups
        frame["fisher_p"] = [
            round(p, 6)
            for p in fisher_p_values(
                frame[f"{a.value}_participants"], a.n, frame[f"{b.value}_participants"], b.n
            )
        ]
    return frame


def _share(hits: int, n: int) -> str:
    return f"{hits} ({round(100 * hits / n)}%)" if n else "0"


def prevalence_table(inputs: ReportInputs, counts: pd.DataFrame, number: int) -> Table:
    import pandas as pd

    columns: dict[str, list] = {
        "Theme": [r.name if r.level == "theme" else "" for r in counts.itertuples()],
        "Code": [ANY_CODE if r.level == "theme" else r.name for r in counts.itertuples()],
    }
    total_n = int(counts["all_N"].iloc[0]) if len(counts) else 0
    for g in inputs.groups:
        columns[f"{g.header}: participants"] = [_share(h, g.n) for h in counts[f"{g.value}_participants"]]
        columns[f"{g.header}: segments"] = [int(n) for n in counts[f"{g.value}_segments"]]
    columns[f"All (n={total_n}): participants"] = [_share(h, total_n) for h in counts["all_participants"]]
    columns[f"All (n={total_n}): segments"] = [int(n) for n in counts["all_segments"]]
    note = (
        "Participants: how many in each group had at least one segment coded with the theme or code "
        "(or a code below it), and the share of the group. Segments: coded participant segments."
    )
    if "fisher_p" in counts.columns:
        columns[FISHER_LABEL] = [format_p(p) for p in counts["fisher_p"]]
        note = f"{note} {FISHER_NOTE}"
    return Table(
        key="prevalence",
        title="Prevalence of themes and codes",
        caption=f"Table {number}. Participants and coded segments per theme and code, by {inputs.by}",
        kind=TableKind.counts,
        frame=pd.DataFrame(columns),
        note=note,
        number=number,
    )


def quote_style(inputs: ReportInputs, min_words: int, max_words: int) -> QuoteStyle:
    return QuoteStyle(
        min_words=min_words,
        max_words=max_words,
        tidy=inputs.tidy,
        redactor=inputs.redactor,
        attributions=inputs.attributions,
        labels=inputs.labels,
    )


def _cells(
    candidates: pd.DataFrame, key: str, keys: list[str], inputs: ReportInputs, n: int, lo: int, hi: int
) -> dict:
    """QuoteCells keyed by (row key, group) from ranked candidates, for one table's rows in order.

    Each group column is filled as one (see ``quotes.fill_cells``): a fair
    spread over its participants, and no quote shown twice in the table.
    """
    style = quote_style(inputs, lo, hi)
    return fill_table(candidates, key, keys, [g.value for g in inputs.groups], n, style)


def _quote_frame(labels: list[str], first: str, keys: list[str], cells: dict, inputs: ReportInputs):
    import pandas as pd

    columns: dict[str, list] = {first: labels}
    for g in inputs.groups:
        columns[g.header] = [cells.get((k, g.value), QuoteCell()) for k in keys]
    return pd.DataFrame(columns)


def theme_candidates(inputs: ReportInputs) -> pd.DataFrame:
    """Candidates rolled up to their theme: one row per (theme, segment), exemplar if any code says so."""
    return inputs.theme_ranked


def _row_label(book, node) -> str:
    """A code's names below its theme; '(in general)' where a theme or parent code was coded itself."""
    name = " > ".join(a.name for a in book.ancestors(node.id)[1:]) or node.name
    return name if node.is_leaf else f"{name} (in general)"


def theme_caption(theme) -> str:
    """The caption a theme's table gets: the codebook's ``caption:``, else the paper's default wording."""
    return theme.caption or f"Quotes addressing the theme \u2018{theme.name}\u2019"


def chosen_themes(inputs: ReportInputs, options: ReportOptions) -> list:
    """The themes whose tables are written: every theme, or those named with --theme, in codebook order."""
    book = inputs.codebook
    if not options.themes:
        return list(book.themes)
    ids = [t.id for t in book.themes]
    for wanted in options.themes:
        if wanted not in ids:
            below = (
                f" ('{wanted}' is a code below the theme '{book.theme_of(wanted)}')" if wanted in book else ""
            )
            raise ReportError(
                f"--theme {wanted}: not a theme of {book.source or 'the codebook'}{below}; "
                f"themes are {', '.join(ids)}"
            )
    return [t for t in book.themes if t.id in options.themes]


def _theme_rows(book, theme, level: Level, used_units: set[str]) -> tuple[list, list]:
    """The nodes that get a row in a theme's table at this level, and those left out as nobody coded them."""
    if level is Level.subtheme:
        candidates = [theme, *theme.children]
    else:
        candidates = book.descendants(theme.id)
    rows, uncoded = [], []
    for node in candidates:
        if node.id in used_units:
            rows.append(node)
        elif node.id != theme.id and (level is Level.subtheme or node.is_leaf):
            uncoded.append(node)
    return rows, uncoded


def _label_at(book, node, level: Level) -> str:
    if level is Level.subtheme:
        return f"{node.name} (in general)" if node.depth == 0 else node.name
    return _row_label(book, node)


@dataclass(frozen=True)
class QuoteTables:
    tables: list[Table]
    uncoded: list[str]  # 'theme X' / 'code path' nobody coded, left out of the quote tables


def quote_tables(inputs: ReportInputs, options: ReportOptions, first_number: int) -> QuoteTables:
    """Theme tables: one per chosen theme with a row per code (or subtheme), or one table of themes.

    A theme nobody coded gets no table, and a code nobody coded no row: ``uncoded`` lists them.
    """
    book = inputs.codebook
    lo, hi, n = options.min_words, options.max_words, options.quotes
    themes = chosen_themes(inputs, options)
    used = set(inputs.coded["unit"].unique())
    coded_themes = set(inputs.coded["theme"].unique())
    uncoded = [f"theme \u2018{t.name}\u2019" for t in themes if t.id not in coded_themes]
    themes = [t for t in themes if t.id in coded_themes]
    if inputs.level is Level.theme:
        if not themes:
            return QuoteTables([], uncoded)
        ids = [t.id for t in themes]
        cells = _cells(theme_candidates(inputs), "theme", ids, inputs, n, lo, hi)
        frame = _quote_frame([t.name for t in themes], "Theme", ids, cells, inputs)
        caption = f"Table {first_number}. Quotes addressing each theme, by {inputs.by}"
        table = Table("themes", "Quotes by theme", caption, TableKind.quotes, frame, number=first_number)
        return QuoteTables([table], uncoded)
    ranked = inputs.ranked
    if inputs.level is Level.subtheme:
        ranked = ranked.drop_duplicates(["unit", "segment_id"])
    tables = []
    for number, theme in enumerate(themes, start=first_number):
        nodes, left_out = _theme_rows(book, theme, inputs.level, used)
        uncoded += [book.path(node.id) for node in left_out]
        ids = [node.id for node in nodes]
        cells = _cells(ranked[ranked["theme"] == theme.id], "unit", ids, inputs, n, lo, hi)
        labels = [_label_at(book, node, inputs.level) for node in nodes]
        first = "Subtheme" if inputs.level is Level.subtheme else "Code"
        frame = _quote_frame(labels, first, ids, cells, inputs)
        caption = f"Table {number}. {theme_caption(theme)}"
        tables.append(
            Table(f"theme_{safe_key(theme.id)}", theme.name, caption, TableKind.quotes, frame, number=number)
        )
    return QuoteTables(tables, uncoded)


def uncoded_note(uncoded: list[str]) -> str:
    """One sentence naming the themes and codes nobody coded (they get no table or row)."""
    if not uncoded:
        return ""
    shown = "; ".join(uncoded[:40]) + (f"; and {len(uncoded) - 40} more" if len(uncoded) > 40 else "")
    return f"Not coded by anyone in this coding, so left out of the quote tables: {shown}."


def overview_table(inputs: ReportInputs, options: ReportOptions, number: int = 1) -> Table:
    hi = max(options.min_words, min(options.max_words, OVERVIEW_MAX_WORDS))
    # "Short": among exemplars and then the rest, quotes that fit whole come before ones to trim.
    candidates = theme_candidates(inputs)
    candidates = candidates.assign(_long=spans_longer_than(candidates, hi)).sort_values(
        ["exemplar", "_long"], ascending=[False, True], kind="stable"
    )
    coded_themes = set(inputs.coded["theme"].unique())
    themes = [t for t in chosen_themes(inputs, options) if t.id in coded_themes]
    cells = _cells(candidates, "theme", [t.id for t in themes], inputs, 1, options.min_words, hi)
    frame = _quote_frame([t.name for t in themes], "Theme", [t.id for t in themes], cells, inputs)
    return Table(
        key="overview",
        title="Overview",
        caption=f"Table {number}. Overview: one short quote per theme and {inputs.by}",
        kind=TableKind.quotes,
        frame=frame,
        number=number,
    )


def long_table(inputs: ReportInputs) -> Table:
    """One row per coded quote: label, attributes, code, how the quote was chosen and where it is."""
    book = inputs.codebook
    keep = inputs.ids_shown
    shown = inputs.attributes if keep else tuple(dict.fromkeys([inputs.by, *inputs.shown_attributes]))
    attrs = inputs.participants[["participant_id", *shown]].rename(
        columns={a: f"participant_{a}" for a in shown if a in LONG_FIXED + LONG_CODE + ["participant"]}
    )
    coded = inputs.coded.drop(columns=["group"]).merge(attrs, on="participant_id", how="left")
    paths = {code: book.path(code) for code in coded["code"].unique()}
    coded["code_path"] = coded["code"].map(paths)
    coded["exemplar"] = coded["exemplar"].astype(int)
    coded["participant"] = coded["participant_id"].map(inputs.labels).fillna(coded["participant_id"])
    redactor = inputs.redactor
    if redactor is not None and not redactor.empty:
        texts = {t: redactor.apply(t) for t in coded["text"].unique()}
        coded["text"] = coded["text"].map(texts)
        for column in attrs.columns[1:]:
            values = {v: redactor.apply(str(v)) for v in coded[column].unique()}
            coded[column] = coded[column].map(values)
    attribute_columns = [c for c in attrs.columns if c != "participant_id"]
    fixed = [*(LONG_FIXED if keep else []), "participant"]
    frame = coded[fixed + attribute_columns + LONG_CODE + LONG_QUOTE].reset_index(drop=True)
    return Table("quotes_long", "All coded quotes", "", TableKind.data, frame)


def matrix_table(inputs: ReportInputs, rows: list[Row], rolled: pd.DataFrame) -> Table:
    """Participants x themes and codes, 1 where the participant voiced it."""
    import pandas as pd

    people = inputs.participants[["participant_id", inputs.by]].reset_index(drop=True)
    ids = [r.id for r in rows]
    hits = _onehot(rolled["participant_id"], rolled["row"], people["participant_id"].tolist(), ids)
    shown = people.assign(participant=people["participant_id"].map(inputs.label_of))
    shown = shown[
        ["participant_id", "participant", inputs.by] if inputs.ids_shown else ["participant", inputs.by]
    ]
    frame = pd.concat([shown, pd.DataFrame(hits, columns=ids)], axis=1)
    return Table("participant_codes", "Participants by code", "", TableKind.data, frame)


def _onehot(rows: pd.Series, columns: pd.Series, row_order: list[str], column_order: list[str]):
    """A 0/1 numpy matrix: 1 where (row, column) occurs, in the given orders."""
    import numpy as np

    r, c = positions_in(rows, row_order), positions_in(columns, column_order)
    keep = (r >= 0) & (c >= 0)
    matrix = np.zeros((len(row_order), len(column_order)), dtype=np.int64)
    matrix[r[keep], c[keep]] = 1
    return matrix


def build_tables(inputs: ReportInputs, options: ReportOptions) -> BuiltTables:
    """All tables, in report order: overview, theme tables, prevalence, then the data tables."""
    rows = report_rows(inputs)
    rolled = rolled_up(inputs, rows)
    counts = prevalence_counts(inputs, rows, rolled, options.test)
    number = options.first_table
    overview = [overview_table(inputs, options, number)] if options.overview else []
    built = quote_tables(inputs, options, first_number=number + len(overview))
    quotes = built.tables
    if built.uncoded:
        note = uncoded_note(built.uncoded)
        if quotes:
            last = quotes[-1]
            quotes[-1] = replace(last, note=f"{last.note} {note}".strip())
        else:
            overview = [replace(t, note=note) for t in overview]
    prevalence = prevalence_table(inputs, counts, number=number + len(overview) + len(quotes))
    cooccurrence = cooccurrence_frame(inputs)
    saturation = saturation_frame(inputs)
    cooc_data = cooccurrence.rename_axis("code").reset_index() if not cooccurrence.empty else cooccurrence
    tables = (
        *overview,
        *quotes,
        prevalence,
        Table("prevalence_counts", "Prevalence counts", "", TableKind.data, counts),
        long_table(inputs),
        matrix_table(inputs, rows, rolled),
        Table("cooccurrence", "Code co-occurrence", "", TableKind.data, cooc_data),
        Table("saturation", "Saturation", "", TableKind.data, saturation),
    )
    if inputs.small_cells:
        footnote = "Small cells: " + " ".join(inputs.small_cells)
        tables = tuple(
            replace(t, note=f"{t.note} {footnote}".strip()) if t.kind is not TableKind.data else t
            for t in tables
        )
    return BuiltTables(tables, counts, cooccurrence, saturation, uncoded_note(built.uncoded))
