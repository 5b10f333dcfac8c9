"""Decoding transcript bytes: UTF-8 (with or without BOM), UTF-16 with BOM, Windows-1252.

Decoding is strict: a file that is none of these is an error that names the
file, never text with replacement characters. Line ends become LF before
anything else looks at the text, so CRLF files give the same segments.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

from slqual.errors import TranscriptError

# C0 control characters that never occur in text (tab, LF, VT, FF and CR are allowed).
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")


@dataclass(frozen=True, slots=True)
class Decoded:
    text: str
    encoding: str
    guessed: bool


def decode(data: bytes, name: str) -> Decoded:
    """Decode a text file's bytes and normalise its line ends to LF.

    A byte order mark decides the encoding; without one the bytes must be
    valid UTF-8, else Windows-1252 is used and reported as guessed.
    """
    if not data.strip():
        raise TranscriptError(f"{name}: the file is empty; add the transcript text or remove the file")
    guessed = False
    if data.startswith(codecs.BOM_UTF8):
        encoding, body = "utf-8-sig", data[len(codecs.BOM_UTF8) :]
        text = _strict(body, "utf-8", name)
    elif data.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        encoding = "utf-32"
        text = _strict(data, "utf-32", name)
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"
        text = _strict(data, "utf-16", name)
    else:
        if b"\x00" in data:
            raise TranscriptError(
                f"{name}: contains binary data, not text (a NUL byte); "
                "check that it is really a transcript, or save it again as plain text (UTF-8)"
            )
        try:
            encoding, text = "utf-8", data.decode("utf-8")
        except UnicodeDecodeError:
            encoding, guessed = "cp1252", True
            text = _strict(data, "cp1252", name)
    if text.startswith("\ufeff"):
        text = text[1:]
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if _CONTROL.search(text) and len(_CONTROL.findall(text)) > max(2, len(text) // 1000):
        raise TranscriptError(
            f"{name}: contains binary data, not text (control characters); "
            "check that it is really a transcript, or save it again as plain text (UTF-8)"
        )
    if not text.strip():
        raise TranscriptError(f"{name}: the file holds no text; add the transcript text or remove the file")
    return Decoded(text=text, encoding=encoding, guessed=guessed)


def _strict(data: bytes, encoding: str, name: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise TranscriptError(
            f"{name}: cannot be read as {_LABELS.get(encoding, encoding)} (byte {exc.start}); "
            "save it again as plain text with UTF-8 encoding"
        ) from exc


_LABELS = {"utf-8": "UTF-8", "utf-16": "UTF-16", "utf-32": "UTF-32", "cp1252": "UTF-8 or Windows-1252 text"}
