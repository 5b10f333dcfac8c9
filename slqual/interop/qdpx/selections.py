"""Coder rows as PlainTextSelections and memo Notes, written straight to XML text.

A project has tens of thousands of coded segments; building and serialising
an element tree for each costs seconds, so this part of ``project.qde`` is
written as text, indented as ``ElementTree.indent`` would (a schema test
checks the result).

One selection per (coder, segment, quote): a coder's codes on one segment
share a selection, each code one Coding (in code order); a marked quote is the
selection's description (``Quote: ...``); a memo is a Note referenced from its
coding.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, NamedTuple

from slqual.cells import xml_safe
from slqual.interop.qdc import guid_for
from slqual.interop.qdpx.model import QUOTE_LABEL, guid, is_date_time

if TYPE_CHECKING:
    import pandas as pd

    from slqual.codebook.model import Codebook

Redact = Callable[[str], str]
CODING_FIELDS = ["segment_id", "code", "coded_at", "memo", "exemplar", "quote"]


class Place(NamedTuple):
    """A segment's place in its exported source."""

    document: str
    start: int
    end: int
    participant: str


class Made(NamedTuple):
    """One selection's XML, with its sort key, GUID and segment."""

    key: tuple
    guid: str
    segment_id: str
    xml: str


def text(value: str) -> str:
    """Element text escaped for XML (carriage returns kept as references)."""
    return (
        xml_safe(value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")
    )


def attr(value: str) -> str:
    """An attribute value escaped for XML, line breaks and tabs kept as references."""
    return text(value).replace('"', "&quot;").replace("\n", "&#10;").replace("\t", "&#09;")


def build_selections(
    codings: dict[str, pd.DataFrame], places: dict[str, Place], codebook: Codebook, apply: Redact
) -> tuple[dict[str, list[Made]], list[str], dict[str, Any]]:
    """Selections by document (sorted by position, then coder), the notes' XML, and counts."""
    by_document: dict[str, list[Made]] = {}
    notes: list[str] = []
    code_guids = {code: guid_for(code) for code in codebook.ids()}
    unknown_code: dict[str, int] = {}
    unknown_segment = no_code = exemplars = written = 0
    for coder_number, (coder, frame) in enumerate(codings.items()):
        user = guid("user", coder)
        groups: dict[tuple[str, str], list[tuple[str, str, str]]] = {}
        for segment_id, code, coded_at, memo, exemplar, quote in zip(
            *(frame[c].tolist() for c in CODING_FIELDS), strict=True
        ):
            if not code:
                no_code += 1
                continue
            if segment_id not in places:
                unknown_segment += 1
                continue
            if code not in code_guids:
                unknown_code[code] = unknown_code.get(code, 0) + 1
                continue
            exemplars += exemplar == "1"
            groups.setdefault((segment_id, quote), []).append((code, coded_at, memo))
        for (segment_id, quote), rows in groups.items():
            place = places[segment_id]
            selection_guid = guid("selection", coder, segment_id, quote)
            times = sorted(t for _, t, _ in rows if is_date_time(t))
            when = f' creationDateTime="{times[0]}"' if times else ""
            parts = [
                f'      <PlainTextSelection guid="{selection_guid}" name="{attr(segment_id)}" '
                f'startPosition="{place.start}" endPosition="{place.end}" creatingUser="{user}"{when}>\n'
            ]
            if quote:
                parts.append(f"        <Description>{text(QUOTE_LABEL + apply(quote))}</Description>\n")
            for code, coded_at, memo in sorted(rows):
                at = f' creationDateTime="{coded_at}"' if is_date_time(coded_at) else ""
                coding_guid = guid("coding", coder, segment_id, code)
                parts.append(
                    f'        <Coding guid="{coding_guid}" creatingUser="{user}"{at}>\n'
                    f'          <CodeRef targetGUID="{code_guids[code]}" />\n'
                )
                if memo:
                    note_guid = guid("memo", coder, segment_id, code)
                    parts.append(f'          <NoteRef targetGUID="{note_guid}" />\n')
                    notes.append(_note(note_guid, f"Memo: {segment_id} {code}", apply(memo), user, coded_at))
                parts.append("        </Coding>\n")
                written += 1
            parts.append("      </PlainTextSelection>\n")
            made = Made((place.start, coder_number, quote), selection_guid, segment_id, "".join(parts))
            by_document.setdefault(place.document, []).append(made)
    for items in by_document.values():
        items.sort(key=lambda item: item.key)
    lost = []
    if no_code:
        lost.append(f"{no_code} row(s) saying 'read, no code applies' (REFI-QDA has no place for them)")
    if exemplars:
        lost.append(f"{exemplars} exemplar mark(s) (REFI-QDA has no place for them)")
    if unknown_segment:
        lost.append(f"{unknown_segment} coded row(s) whose segment is not in segments.csv")
    if unknown_code:
        names = ", ".join(f"{c} ({n})" for c, n in sorted(unknown_code.items()))
        lost.append(f"coded rows whose code is not in the codebook: {names}")
    stats = {"selections": sum(len(v) for v in by_document.values()), "codings": written, "lost": lost}
    return by_document, notes, stats


def _note(note_guid: str, name: str, content: str, user: str, created: str) -> str:
    at = f' creationDateTime="{created}"' if is_date_time(created) else ""
    return (
        f'    <Note guid="{note_guid}" name="{attr(name)}" creatingUser="{user}"{at}>\n'
        f"      <PlainTextContent>{text(content)}</PlainTextContent>\n"
        "    </Note>\n"
    )


def sources_xml(
    texts: dict[str, str], selections: dict[str, list[Made]]
) -> tuple[str, list[tuple[str, bytes]]]:
    """The <Sources> element as text, and the source files (name in sources/, UTF-8 bytes)."""
    parts = ["  <Sources>\n"]
    files = []
    for document, content in texts.items():
        source_guid = guid("source", document)
        head = (
            f'    <TextSource guid="{source_guid}" name="{attr(document)}" '
            f'plainTextPath="internal://{source_guid}.txt"'
        )
        made = selections.get(document)
        if made:
            parts.append(head + ">\n")
            parts.extend(m.xml for m in made)
            parts.append("    </TextSource>\n")
        else:
            parts.append(head + " />\n")
        files.append((f"{source_guid}.txt", content.encode("utf-8")))
    parts.append("  </Sources>\n")
    return "".join(parts), files
