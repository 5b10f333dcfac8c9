"""Transcript readers, one per file format, and the turn builder they share.

``reader_for(path)`` gives the reader for a file's suffix; a reader turns the
file's bytes into utterances (:class:`Utterance`), and
:func:`~slqual.transcripts.turns.build_turns` merges those into turns.
"""

from slqual.transcripts.base import Reader, Transcript, Utterance, reader_for, supported_suffixes
from slqual.transcripts.labels import SpeakerRules
from slqual.transcripts.turns import Turn, Unit, build_turns, split_units

__all__ = [
    "Reader",
    "SpeakerRules",
    "Transcript",
    "Turn",
    "Unit",
    "Utterance",
    "build_turns",
    "reader_for",
    "split_units",
    "supported_suffixes",
]
