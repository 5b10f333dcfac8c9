"""Each user's coded selections as that coder's rows of ``codings/<coder>.csv``.

One row per (segment, code) per coder: several selections of one coder on one
segment with one code give one row, their quotes joined with `` ... `` and
their memos one per line. A selection's description in slqual's layout
(``Quote: ...``) is the quote; any other description, and the notes of the
selection and of the coding, become the memo.
"""

from __future__ import annotations

import re
import unicodedata
from typing import TYPE_CHECKING

from slqual.interop.qdpx.mapping import SpanIndex, locate_segments
from slqual.interop.qdpx.model import QdpxProject, Skipped, TextSource, split_description

if TYPE_CHECKING:
    import pandas as pd

    from slqual.project import Project

QUOTE_JOIN = " ... "
_NOT_CODER = re.compile(r"[^A-Za-z0-9_.-]+")


def coder_names(loaded: QdpxProject, notes: list[str]) -> dict[str, str]:
    """User GUID -> a coder name slqual can use as a file name (letters, digits, '-', '_', '.')."""
    names: dict[str, str] = {}
    taken: set[str] = set()
    for number, (user_guid, name) in enumerate(loaded.users.items(), start=1):
        plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
        coder = _NOT_CODER.sub("_", plain).strip("_.-")[:60] or f"coder{number}"
        base, n = coder, 1
        while coder.casefold() in taken:
            n += 1
            coder = f"{base}_{n}"
        taken.add(coder.casefold())
        if coder != name:
            notes.append(f"user '{name}' became coder '{coder}' (coder names are file names)")
        names[user_guid] = coder
    return names


def coder_rows(
    loaded: QdpxProject,
    documents: dict[str, TextSource],
    segments: pd.DataFrame | None,
    code_ids: dict[str, str],
    min_overlap: float,
    skipped: list[Skipped],
    notes: list[str],
) -> dict[str, list[list[str]]]:
    """Rows (in CODING_COLUMNS order) per coder, from every coded text selection that maps to segments."""
    coders = coder_names(loaded, notes)
    by_document: dict[str, list[tuple[str, str]]] = {}
    order: dict[str, int] = {}
    if segments is not None:
        ordered = segments.sort_values(["document", "seq"], kind="stable")
        columns = (ordered[c].tolist() for c in ("segment_id", "document", "text"))
        for number, (segment_id, document, text) in enumerate(zip(*columns, strict=True)):
            by_document.setdefault(document, []).append((segment_id, text))
            order[segment_id] = number
    entries: dict[tuple[str, str, str], list] = {}  # key -> [quotes, memos, coded_at]
    counts = {"none": 0, "no_code": 0, "unknown": 0, "not_ingested": 0}
    for document, source in documents.items():
        assert source.text is not None
        if document not in by_document:
            counts["not_ingested"] += len(source.selections)
            continue
        spans, missing = locate_segments(source.text, by_document[document])
        if missing:
            notes.append(
                f"{document}: {len(missing)} segment(s) were not found again in the source text; "
                "selections there are counted as in no segment"
            )
        index = SpanIndex(source.text, spans)
        for selection in source.selections:
            if not selection.codings:
                counts["no_code"] += 1
                continue
            hits = index.hits(selection.start, selection.end, min_overlap)
            if not hits:
                counts["none"] += 1
                continue
            marked, described = split_description(selection.description)
            for coding in selection.codings:
                code = code_ids.get(coding.code)
                if code is None:
                    counts["unknown"] += 1
                    continue
                user = coding.user or selection.user or loaded.default_user
                coder = coders.get(user) or (f"user-{user[:8]}" if user else "imported")
                memos = (*coding.notes, *selection.notes, *((described,) if described else ()))
                for hit in hits:
                    key = (coder, hit.segment_id, code)
                    entry = entries.get(key)
                    if entry is None:
                        entry = entries[key] = [[], [], coding.created]
                    quote = marked or hit.quote
                    if quote and quote not in entry[0]:
                        entry[0].append(quote)
                    for memo in memos:
                        if memo not in entry[1]:
                            entry[1].append(memo)
    _count(skipped, counts)
    rows: dict[str, list[list[str]]] = {}
    ranked = sorted(entries, key=lambda k: (k[0], order[k[1]], k[2]))
    for key in ranked:
        coder, segment_id, code = key
        quotes, memos, at = entries[key]
        rows.setdefault(coder, []).append(
            [segment_id, code, coder, at, "\n".join(memos), "", QUOTE_JOIN.join(quotes)]
        )
    idle = [name for user, name in coders.items() if name not in rows]
    if idle:
        notes.append(f"user(s) without codings in the file, so without a coder file: {', '.join(idle)}")
    return rows


def _count(skipped: list[Skipped], counts: dict[str, int]) -> None:
    if counts["none"]:
        skipped.append(
            Skipped(
                "coded text selections in no segment",
                counts["none"],
                "they cover too little of any segment (see --min-overlap) or lie outside the segments",
            )
        )
    if counts["no_code"]:
        skipped.append(Skipped("text selections without a code", counts["no_code"]))
    if counts["unknown"]:
        skipped.append(Skipped("codings of codes that are not in the codebook", counts["unknown"]))
    if counts["not_ingested"]:
        skipped.append(
            Skipped("selections in text sources that ingest could not read", counts["not_ingested"])
        )


def write_codings(project: Project, rows: dict[str, list[list[str]]]) -> dict[str, int]:
    """Write each coder's file; returns the rows written per coder."""
    import pandas as pd

    from slqual.codings import CODING_COLUMNS, write_coding

    for coder, coder_rows_ in rows.items():
        write_coding(project, coder, pd.DataFrame(coder_rows_, columns=CODING_COLUMNS))
    return {coder: len(r) for coder, r in rows.items()}
