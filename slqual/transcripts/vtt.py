"""WebVTT transcripts from Zoom (``Name: text``) and Microsoft Teams (``<v Name>text</v>``)."""

from __future__ import annotations

from slqual.transcripts.base import MAX_TEXT_BYTES, Transcript
from slqual.transcripts.cues import read_cues
from slqual.transcripts.labels import SpeakerRules


class VttReader:
    """``.vtt``: cue times become start and end; cue ids and NOTE blocks are not text."""

    format = "webvtt"
    max_bytes = MAX_TEXT_BYTES

    def read(self, data: bytes, name: str, rules: SpeakerRules) -> Transcript:
        return read_cues(data, name, rules)
