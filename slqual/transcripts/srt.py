"""SubRip subtitles (.srt), with ``Name:`` labels where present."""

from __future__ import annotations

from slqual.transcripts.base import MAX_TEXT_BYTES, Transcript
from slqual.transcripts.cues import read_cues
from slqual.transcripts.labels import SpeakerRules


class SrtReader:
    """``.srt``: numbered cues with ``00:00:01,000 --> 00:00:04,000`` times."""

    format = "srt"
    max_bytes = MAX_TEXT_BYTES

    def read(self, data: bytes, name: str, rules: SpeakerRules) -> Transcript:
        return read_cues(data, name, rules)
