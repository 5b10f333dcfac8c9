"""Subtitle cues (.vtt, .srt): one parser for both formats.

A cue is an optional id line (a number, a Teams GUID), a timing line
``start --> end [settings]`` and text lines. The speaker comes from a WebVTT
voice tag (``<v Name>``, Microsoft Teams) or a ``Name:`` label at the start
of the text (Zoom, labelled SRT). A cue without a speaker continues the
previous speaker's turn. NOTE, STYLE and REGION blocks and the header are not
text.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from slqual.errors import TranscriptError
from slqual.transcripts.base import Transcript, Utterance
from slqual.transcripts.encoding import decode
from slqual.transcripts.labels import (
    Candidate,
    SpeakerRules,
    accepted_labels,
    find_candidate,
    parse_time,
    speaker_key,
)

_TIMING = re.compile(r"^\s*(\S+)\s+-->\s+(\S+)")
_VOICE = re.compile(r"<v(?:\.[^\s>]*)?\s+([^>]*)>")
_TAG = re.compile(r"</?[a-zA-Z][^>]*>|<\d{1,2}:\d{2}[^>]*>|\{\\[^}]*\}")
_SKIP_BLOCKS = ("NOTE", "STYLE", "REGION", "WEBVTT")


@dataclass(frozen=True, slots=True)
class Cue:
    start: int | None
    end: int | None
    text: str  # lines joined with "\n", tags still in


def parse_cues(text: str, name: str) -> list[Cue]:
    """The cues of a subtitle file, in file order."""
    cues: list[Cue] = []
    block: list[str] = []
    for line in [*text.split("\n"), ""]:
        if line.strip():
            block.append(line)
            continue
        if not block:
            continue
        timing_at = next((i for i, item in enumerate(block) if "-->" in item), None)
        head = block[0].lstrip()
        if timing_at is not None and not head.startswith(_SKIP_BLOCKS[:3]):
            match = _TIMING.match(block[timing_at])
            start = parse_time(match.group(1)) if match else None
            end = parse_time(match.group(2)) if match else None
            if match is None or start is None:
                raise TranscriptError(
                    f"{name}: cannot read the cue time '{block[timing_at].strip()}'; "
                    "expected a line like '00:01:02.500 --> 00:01:05.000'"
                )
            cues.append(Cue(start, end, "\n".join(block[timing_at + 1 :])))
        elif timing_at is None and cues and not head.startswith(_SKIP_BLOCKS):
            # text after a blank line inside a cue (not valid, but seen): keep it with its cue
            last = cues[-1]
            cues[-1] = Cue(last.start, last.end, "\n".join([last.text, *block]))
        block = []
    return cues


def _plain(text: str) -> str:
    text = _TAG.sub("", text)
    return html.unescape(text) if "&" in text else text


def read_cues(data: bytes, name: str, rules: SpeakerRules) -> Transcript:
    decoded = decode(data, name)
    cues = parse_cues(decoded.text, name)
    if not cues:
        raise TranscriptError(
            f"{name}: no subtitle cues found (lines like '00:01:02.500 --> 00:01:05.000'); "
            "check that this is a WebVTT or SRT file"
        )
    # (speaker candidate or None, text, start, end) per voice piece of each cue
    pieces: list[tuple[Candidate | None, str, int | None, int | None]] = []
    for cue in cues:
        voices = list(_VOICE.finditer(cue.text))
        if voices:
            before = _plain(cue.text[: voices[0].start()])
            if before.strip():
                pieces.append((None, before, cue.start, cue.end))
            for number, voice in enumerate(voices):
                stop = voices[number + 1].start() if number + 1 < len(voices) else len(cue.text)
                label = " ".join(_plain(voice.group(1)).split())
                body = _plain(cue.text[voice.end() : stop])
                cand = Candidate(label, speaker_key(label), "voice", body, None) if label else None
                pieces.append((cand, body, cue.start, cue.end))
            continue
        body = _plain(cue.text)
        cand = find_candidate(body.partition("\n")[0])  # a label starts the cue's first line
        if cand is not None and (
            cand.form in ("heading", "otter", "otter1") or (cand.form == "alone" and "\n" not in body)
        ):
            cand = None  # a cue that is only a short phrase is speech, not a name
        pieces.append((cand, body, cue.start, cue.end))
    candidates = [p[0] for p in pieces if p[0] is not None]
    keep = accepted_labels(candidates, rules)
    accepted = {id(candidates[k]) for k in keep}
    utterances = []
    for cand, body, start, end in pieces:
        if cand is None or id(cand) not in accepted:
            speaker, words = None, body
        elif cand.form == "voice":
            speaker, words = cand.name, body
        else:  # "Name: text" on the first line; the label is not text
            speaker, words = cand.name, cand.rest + _after_first_line(body)
        words = " ".join(words.split())
        if words:
            utterances.append(Utterance(speaker, words, start, end, paragraph=False))
    return Transcript(tuple(utterances), bool(keep), decoded.encoding, decoded.guessed)


def _after_first_line(body: str) -> str:
    _, newline, rest = body.partition("\n")
    return " " + rest if newline else ""
