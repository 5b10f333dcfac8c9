"""WebVTT transcripts from Zoom (``Name: text``) and Microsoft Teams (``<v Name>text</v>``)."""

from __future__ import annotations

from slqual.transcripts.base import Transcript
from slqual.transcripts.cues import read_cues
from slqual.transcripts.labels import SpeakerRules


class VttReader:
    """``.vtt``: cue times become start and end; cue ids and NOTE blocks are not text."""

    format = "webvtt"

    def read(self, data: bytes, name: str, rules: SpeakerRules) -> Transcript:
        return read_cues(data, name, rules)
