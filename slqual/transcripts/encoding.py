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
    for magic, kind, fix in _DISGUISED:
        if data.startswith(magic):
            raise TranscriptError(f"{name}: is {kind}, not plain text; {fix}")
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
    elif utf16 := _utf16_without_bom(data):
        encoding, guessed = utf16, True
        text = _strict(data, utf16, name)
    else:
        if b"\x00" in data:
            raise TranscriptError(
                f"{name}: contains binary data, not text (a NUL byte); "
                "check that it is really a transcript, or save it again as plain text (UTF-8)"
            )
        try:
            encoding, text = "utf-8", data.decode("utf-8")
        except UnicodeDecodeError:
            encoding, guessed = _eight_bit(data), True
            text = _strict(data, encoding, name)
    if text.startswith("\ufeff"):
        text = text[1:]
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if _control_count(data, text, encoding) > max(2, len(text) // 1000):
        raise TranscriptError(
            f"{name}: contains binary data, not text (control characters); "
            "check that it is really a transcript, or save it again as plain text (UTF-8)"
        )
    if not text.strip():
        raise TranscriptError(f"{name}: the file holds no text; add the transcript text or remove the file")
    return Decoded(text=text, encoding=encoding, guessed=guessed)


# Encodings that write each control character as that one byte, and no other character with it.
_BYTE_FOR_CONTROL = frozenset({"utf-8", "utf-8-sig", "cp1252", "mac_roman"})
_NOT_CONTROL_BYTES = bytes(b for b in range(256) if not _CONTROL.match(chr(b)))


def _control_count(data: bytes, text: str, encoding: str) -> int:
    """How many control characters the text holds; counted in the bytes where they are single bytes."""
    if encoding in _BYTE_FOR_CONTROL:
        return len(data.translate(None, _NOT_CONTROL_BYTES))  # much faster than a regex over the text
    return len(_CONTROL.findall(text))


# Other kinds of file given a text file's name, by their first bytes.
_DISGUISED = (
    (
        b"PK\x03\x04",
        "a zip archive (perhaps a Word or LibreOffice file)",
        "if so, rename it to .docx or .odt",
    ),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Word .doc file", "save it as .docx or as plain text"),
    (b"%PDF", "a PDF", "save it as .docx or as plain text"),
    (b"{\\rtf", "a Rich Text (RTF) file", "save it as .docx or as plain text"),
)


def _utf16_without_bom(data: bytes) -> str | None:
    """'utf-16-le' or 'utf-16-be' when the bytes look like UTF-16 text saved without a BOM.

    Text in Latin script as UTF-16 has a NUL in every other byte: the high
    (big-endian: first) byte of each character. Binary junk does not.
    """
    sample = data[:4096]
    if len(sample) < 8 or len(data) % 2:
        return None
    even, odd = sample[0::2], sample[1::2]
    half = len(sample) // 2
    if odd.count(0) > 0.6 * half and even.count(0) < 0.05 * half:
        return "utf-16-le"
    if even.count(0) > 0.6 * half and odd.count(0) < 0.05 * half:
        return "utf-16-be"
    return None


# Curly quotes, apostrophes, dashes and ellipses as each 8-bit encoding writes them.
_MAC_PUNCTUATION = re.compile(
    rb"[a-z]\xd5[a-z]|(?:^|\s)\xd2[A-Za-z]|[a-z.,!?]\xd3(?:\s|$)|\s[\xd0\xd1]\s|[a-z.]\xc9(?:\s|$)", re.M
)
_CP1252_PUNCTUATION = re.compile(
    rb"[a-z]\x92[a-z]|(?:^|\s)\x93[A-Za-z]|[a-z.,!?]\x94(?:\s|$)|\s[\x96\x97]\s|[a-z.]\x85(?:\s|$)", re.M
)


def _eight_bit(data: bytes) -> str:
    """Windows-1252, or Mac Roman when the file's punctuation is written the Mac way.

    The two disagree on curly quotes: Mac Roman's apostrophe (0xD5) is 'Õ' in
    Windows-1252, so "don't" would silently become "donÕt".
    """
    mac = len(_MAC_PUNCTUATION.findall(data))
    return "mac_roman" if mac >= 2 and mac > len(_CP1252_PUNCTUATION.findall(data)) else "cp1252"


def _strict(data: bytes, encoding: str, name: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise TranscriptError(
            f"{name}, line {line}: cannot be read as {ENCODING_NAMES.get(encoding, encoding)} "
            f"(byte {exc.start}, value 0x{data[exc.start]:02X}); save it again as plain text "
            "with UTF-8 encoding"
        ) from exc


# Encodings as people know them, for messages and the summary.
ENCODING_NAMES = {
    "utf-8": "UTF-8",
    "utf-8-sig": "UTF-8",
    "utf-16": "UTF-16",
    "utf-16-le": "UTF-16 without a byte order mark",
    "utf-16-be": "UTF-16 (big-endian) without a byte order mark",
    "utf-32": "UTF-32",
    "cp1252": "UTF-8 or Windows-1252 text",
    "mac_roman": "Mac Roman text",
}
