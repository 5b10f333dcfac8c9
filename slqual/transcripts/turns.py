"""Utterances into turns, and turns into the units that become segments.

A turn is the longest run of consecutive utterances by one speaker (after the
``speakers:`` alias map; case and whitespace in labels do not matter). An
utterance without a label continues the turn before it. ``unit: paragraph``
and ``unit: sentence`` split turns further; the words and their order never
change.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import NamedTuple

from slqual.transcripts.base import UNKNOWN_SPEAKER, Utterance
from slqual.transcripts.labels import SpeakerRules, speaker_key

UNITS = ("turn", "paragraph", "sentence")


class Paragraph(NamedTuple):
    text: str  # as joined from its utterances; ``normalise`` gives the segment text
    start: int | None
    end: int | None


class Turn(NamedTuple):
    speaker: str
    paragraphs: tuple[Paragraph, ...]
    start: int | None
    end: int | None

    @property
    def text(self) -> str:
        """The turn's words, whitespace normalised."""
        return normalise(" ".join(p.text for p in self.paragraphs))


class Unit(NamedTuple):
    """One future segment: a turn, a paragraph or a sentence of a turn."""

    speaker: str
    text: str
    start: int | None
    end: int | None
    turn: int  # index of the turn it belongs to, from 0


def normalise(text: str) -> str:
    """Collapse every run of whitespace to one space, trimmed."""
    # Every whitespace character but the space is unprintable: text passing these checks is
    # already normalised, and checking is many times faster than splitting it into words.
    if text.isprintable() and "  " not in text and text[:1] != " " and text[-1:] != " ":
        return text
    return " ".join(text.split())


def build_turns(utterances: Sequence[Utterance], rules: SpeakerRules, labelled: bool = True) -> list[Turn]:
    """Merge consecutive utterances by one speaker into turns.

    In a file without any label, every utterance is its own turn by ``unknown``.
    """
    spelled: dict[str, str] = {}  # the first spelling of each speaker in this document
    resolved: dict[str, tuple[str, str]] = {}  # a label as written -> (key, first spelling)
    turns: list[tuple[str, str, list[list]]] = []  # (key, label, paragraphs as [pieces, start, end])
    for utt in utterances:
        if not utt.text:
            continue
        if not labelled:
            turns.append((UNKNOWN_SPEAKER, UNKNOWN_SPEAKER, [[[utt.text], utt.start, utt.end]]))
            continue
        if utt.speaker is None:
            if turns:
                key, label = turns[-1][0], turns[-1][1]
            else:
                key, label = speaker_key(UNKNOWN_SPEAKER), UNKNOWN_SPEAKER
        else:
            known = resolved.get(utt.speaker)
            if known is None:
                label = rules.canonical(utt.speaker)
                key = speaker_key(label)
                known = resolved[utt.speaker] = (key, spelled.setdefault(key, label))
            key, label = known
        if turns and turns[-1][0] == key:
            paragraphs = turns[-1][2]
            if utt.paragraph:
                paragraphs.append([[utt.text], utt.start, utt.end])
            else:
                last = paragraphs[-1]
                last[0].append(utt.text)
                if last[1] is None:
                    last[1] = utt.start
                if utt.end is not None:
                    last[2] = utt.end
        else:
            turns.append((key, label, [[[utt.text], utt.start, utt.end]]))
    result = []
    for _, label, paragraphs in turns:
        paras = tuple(Paragraph(" ".join(p[0]), p[1], p[2]) for p in paragraphs)
        start = next((p.start for p in paras if p.start is not None), None)
        end = next((p.end for p in reversed(paras) if p.end is not None), None)
        result.append(Turn(label, paras, start, end))
    return result


def turn_units(utterances: Sequence[Utterance], rules: SpeakerRules, labelled: bool = True) -> list[Unit]:
    """``split_units(build_turns(...), "turn")`` in one pass: ingest's usual case, without the paragraphs.

    A turn's start is the first time any of its utterances gives, its end the
    last; its text is all its utterances' words, whitespace normalised.
    """
    if not labelled:
        kept = [utt for utt in utterances if utt.text]
        return [Unit(UNKNOWN_SPEAKER, normalise(u.text), u.start, u.end, i) for i, u in enumerate(kept)]
    spelled: dict[str, str] = {}
    resolved: dict[str, tuple[str, str]] = {}
    units: list[Unit] = []
    key = label = ""
    pieces: list[str] | None = None  # the current turn's texts
    start = end = None
    for utt in utterances:
        text = utt.text
        if not text:
            continue
        speaker = utt.speaker
        if speaker is None:
            this_key, this_label = (key, label) if pieces is not None else _UNKNOWN
        else:
            known = resolved.get(speaker)
            if known is None:
                canonical = rules.canonical(speaker)
                this_key = speaker_key(canonical)
                known = resolved[speaker] = (this_key, spelled.setdefault(this_key, canonical))
            this_key, this_label = known
        if pieces is not None and this_key == key:
            pieces.append(text)
            if start is None:
                start = utt.start
            if utt.end is not None:
                end = utt.end
            continue
        if pieces is not None:
            units.append(_unit(Unit, (label, normalise(" ".join(pieces)), start, end, len(units))))
        key, label, pieces, start, end = this_key, this_label, [text], utt.start, utt.end
    if pieces is not None:
        units.append(_unit(Unit, (label, normalise(" ".join(pieces)), start, end, len(units))))
    return units


_UNKNOWN = (speaker_key(UNKNOWN_SPEAKER), UNKNOWN_SPEAKER)
# A tuple made directly: the named tuple's own constructor, a Python function, costs three times more.
_unit = tuple.__new__


def split_units(turns: Sequence[Turn], unit: str = "turn") -> list[Unit]:
    """The segments' units: one per turn, per paragraph or per sentence."""
    if unit not in UNITS:
        raise ValueError(f"unit must be one of {', '.join(UNITS)}, not {unit!r}")
    units: list[Unit] = []
    for index, turn in enumerate(turns):
        if unit == "turn":
            units.append(Unit(turn.speaker, turn.text, turn.start, turn.end, index))
            continue
        for paragraph in turn.paragraphs:
            text = normalise(paragraph.text)
            if unit == "paragraph":
                units.append(Unit(turn.speaker, text, paragraph.start, paragraph.end, index))
                continue
            sentences = split_sentences(text)
            last = len(sentences) - 1
            for number, sentence in enumerate(sentences):
                units.append(
                    Unit(
                        turn.speaker,
                        sentence,
                        paragraph.start if number == 0 else None,
                        paragraph.end if number == last else None,
                        index,
                    )
                )
    return units


# A sentence ends at . ! ? or … (with closing quotes or brackets) before a space.
_BOUNDARY = re.compile(r"[.!?…]+[\"'”’)\]]*\s+")
_ABBREVIATIONS = frozenset("dr mr mrs ms prof st vs etc e.g i.e eg ie cf approx dept fig jr sr mt ca".split())


def split_sentences(text: str) -> list[str]:
    """Split normalised text into sentences, keeping every character except the spaces between them."""
    sentences = []
    begin = 0
    for match in _BOUNDARY.finditer(text):
        after = match.end()
        if after >= len(text):
            break
        nxt = text[after]
        if not (nxt.isupper() or nxt.isdigit() or nxt in "\"'“‘([¿¡"):
            continue
        word = text[begin : match.start()].rsplit(" ", 1)[-1].casefold().lstrip("(\"'“‘")
        if match.group().startswith(".") and (word in _ABBREVIATIONS or (len(word) == 1 and word.isalpha())):
            continue
        sentences.append(text[begin:after].rstrip())
        begin = after
    tail = text[begin:].strip()
    if tail:
        sentences.append(tail)
    return sentences
