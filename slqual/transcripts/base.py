"""What every transcript reader shares: utterances, the reader interface and the registry.

A reader turns the bytes of one file into utterances (a speaker label as
written, the words, and times where the file gives them). Turning utterances
into turns and segments is the job of :mod:`slqual.transcripts.turns`, the
same for every format.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from pathlib import PurePath
from typing import NamedTuple, Protocol

from slqual.transcripts.labels import SpeakerRules

UNKNOWN_SPEAKER = "unknown"
# The largest text transcript read (.txt, .md, .vtt, .srt): 20 MB is about 3 million words, a
# hundred times the longest interview; a larger file is another kind of file, and refusing it
# before reading keeps memory bounded. .docx and .odt files allow more (pictures).
MAX_TEXT_BYTES = 20 * 1024 * 1024


class Utterance(NamedTuple):
    """One stretch of speech as the file gives it: a paragraph, a table row, a subtitle cue.

    ``speaker`` is the label as written, or None when the utterance carries no
    label and continues the previous speaker's turn. ``paragraph`` is True when
    the utterance starts a new paragraph (a subtitle cue does not). Times are
    milliseconds from the start of the recording (or clock time, as written).
    """

    speaker: str | None
    text: str
    start: int | None = None
    end: int | None = None
    paragraph: bool = True


@dataclass(frozen=True)
class Transcript:
    """What a reader returns for one file."""

    utterances: tuple[Utterance, ...]
    # True when at least one speaker label was recognised.
    labelled: bool
    # The text encoding used ("utf-8", "utf-8-sig", "utf-16", "cp1252"), None for .docx/.odt.
    encoding: str | None = None
    # True when the encoding had to be guessed (no BOM, not valid UTF-8).
    encoding_guessed: bool = False
    # Words before the first speaker label (a title block), which are not turns.
    title_words: int = 0
    # A hint for a file without labels, e.g. that speakers seem to be marked by font colour.
    hint: str = ""


class Reader(Protocol):
    """One implementation per file format."""

    format: str
    max_bytes: int  # larger files are refused before they are read

    def read(self, data: bytes, name: str, rules: SpeakerRules) -> Transcript:
        """Read one file's bytes; ``name`` is used in error messages.

        Raises TranscriptError with a message naming the file and what is wrong.
        """
        ...


# File suffix -> "module:Class"; modules are imported only when a file needs them.
_REGISTRY: dict[str, str] = {
    ".txt": "slqual.transcripts.text:TextReader",
    ".md": "slqual.transcripts.text:MarkdownReader",
    ".docx": "slqual.transcripts.docx:DocxReader",
    ".odt": "slqual.transcripts.odt:OdtReader",
    ".vtt": "slqual.transcripts.vtt:VttReader",
    ".srt": "slqual.transcripts.srt:SrtReader",
}
_LOADED: dict[str, Reader] = {}


def supported_suffixes() -> tuple[str, ...]:
    """The file suffixes ingest reads, lower case with the dot."""
    return tuple(_REGISTRY)


def reader_for(path: PurePath | str) -> Reader | None:
    """The reader for a file by its suffix (case-insensitive), or None for other files."""
    suffix = PurePath(path).suffix.lower()
    target = _REGISTRY.get(suffix)
    if target is None:
        return None
    if suffix not in _LOADED:
        module_name, class_name = target.split(":")
        _LOADED[suffix] = getattr(importlib.import_module(module_name), class_name)()
    return _LOADED[suffix]
