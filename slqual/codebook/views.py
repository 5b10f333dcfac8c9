"""Views of a codebook: flat rows, an appendix table, and Markdown, CSV and JSON renderings.

One renderer per format; ``render_codebook`` picks it. The rich tree of
``slqual codebook show`` is drawn by the CLI from the model itself.
"""

from __future__ import annotations

import csv
import io
import json
from enum import Enum
from typing import Any

from slqual.cells import csv_text, markdown_text
from slqual.codebook.dump import codebook_to_dict
from slqual.codebook.model import Codebook

ROW_COLUMNS_SHORT = ("id", "name", "parent", "depth", "theme", "definition")
ROW_COLUMNS_FULL = (*ROW_COLUMNS_SHORT, "include", "exclude", "examples", "keywords", "color", "memo")
APPENDIX_COLUMNS = ("Theme", "Code", "Definition", "Inclusion", "Exclusion", "Example")
APPENDIX_COLUMNS_SHORT = ("Theme", "Code", "Definition")
LIST_SEP = "\n"  # lists (examples, keywords) in one CSV cell: one item per line


class ViewFormat(str, Enum):
    """Text renderings of a codebook."""

    md = "md"
    csv = "csv"
    json = "json"


def codebook_rows(codebook: Codebook, full: bool = True) -> list[dict[str, Any]]:
    """One row per node in document order, with its parent, depth (themes are 0) and theme."""
    rows = []
    for node in codebook:
        row: dict[str, Any] = {
            "id": node.id,
            "name": node.name,
            "parent": node.parent or "",
            "depth": node.depth,
            "theme": codebook.theme_of(node.id),
            "definition": node.definition,
        }
        if full:
            row.update(
                include=node.include,
                exclude=node.exclude,
                examples=LIST_SEP.join(node.examples),
                keywords=LIST_SEP.join(node.keywords),
                color=node.color,
                memo=node.memo,
            )
        rows.append(row)
    return rows


def appendix_rows(codebook: Codebook, full: bool = True) -> list[dict[str, str]]:
    """The table a paper's appendix shows: theme, code (its path below the theme), definition, criteria.

    The theme's own row leaves Code empty; deeper nodes show their path below
    the theme, e.g. 'Understanding > Shared vision'. Example is the first example.
    """
    rows = []
    for node in codebook:
        chain = codebook.ancestors(node.id)
        row = {
            "Theme": chain[0].name,
            "Code": " > ".join(n.name for n in chain[1:]),
            "Definition": node.definition,
        }
        if full:
            row.update(
                Inclusion=node.include,
                Exclusion=node.exclude,
                Example=node.examples[0] if node.examples else "",
            )
        rows.append(row)
    return rows


def _md_cell(text: Any) -> str:
    """A Markdown table cell: syntax characters escaped (no live links, images or HTML), lines as <br>."""
    lines = markdown_text(text).replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "<br>".join(" ".join(line.split()) for line in lines)


def quoted(text: str) -> str:
    """An example quote in typographic quotation marks (unless it already has them)."""
    text = text.strip()
    if not text or text[0] in "\"'“‘":
        return text
    return f"“{text}”"


def render_md(codebook: Codebook, full: bool = True) -> str:
    """A Markdown heading and appendix table; each theme is named once, in bold, on its own row."""
    columns = APPENDIX_COLUMNS if full else APPENDIX_COLUMNS_SHORT
    title = codebook.title or "Codebook"
    lines = [f"# {_md_cell(title)}", ""]
    if codebook.version:
        lines += [f"Version {_md_cell(codebook.version)}", ""]
    lines.append("| " + " | ".join(columns) + " |")
    lines.append("|" + "|".join("---" for _ in columns) + "|")
    for node, row in zip(codebook, appendix_rows(codebook, full), strict=True):
        cells = {c: _md_cell(row[c]) for c in columns}
        cells["Theme"] = f"**{cells['Theme']}**" if node.depth == 0 else ""
        if "Example" in cells:
            cells["Example"] = _md_cell(quoted(row["Example"]))
        lines.append("| " + " | ".join(cells[c] for c in columns) + " |")
    return "\n".join(lines) + "\n"


def render_csv(codebook: Codebook, full: bool = True, plain: bool = False) -> str:
    """A flat CSV: one row per node with its parent and depth.

    Text a spreadsheet would run as a formula (= + - @ first) gets an apostrophe
    (``slqual.cells.csv_text``) unless ``plain`` (``--csv-plain``) asks for the raw text.
    """
    columns = ROW_COLUMNS_FULL if full else ROW_COLUMNS_SHORT
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    for row in codebook_rows(codebook, full):
        writer.writerow(
            row if plain else {k: csv_text(v) if isinstance(v, str) else v for k, v in row.items()}
        )
    return out.getvalue()


def render_json(codebook: Codebook, full: bool = True) -> str:
    """The codebook as JSON in the same shape as the YAML schema."""
    return json.dumps(codebook_to_dict(codebook, full), indent=2, ensure_ascii=False) + "\n"


RENDERERS = {ViewFormat.md: render_md, ViewFormat.csv: render_csv, ViewFormat.json: render_json}


def render_codebook(
    codebook: Codebook, fmt: ViewFormat | str, full: bool = True, csv_plain: bool = False
) -> str:
    """The codebook as Markdown, CSV or JSON text (``csv_plain``: CSV without the formula guard)."""
    fmt = ViewFormat(fmt)
    if fmt is ViewFormat.csv:
        return render_csv(codebook, full, plain=csv_plain)
    return RENDERERS[fmt](codebook, full)
