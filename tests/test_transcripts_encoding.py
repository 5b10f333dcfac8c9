"""Decoding transcript bytes: UTF-8 with and without BOM, UTF-16, Windows-1252, line ends, bad bytes."""

from __future__ import annotations

from pathlib import Path

import pytest

from slqual.errors import TranscriptError
from slqual.transcripts.encoding import decode

DATA = Path(__file__).parent / "data" / "transcripts"
EXPECTED = (
    "Interviewer: Where did you train?\n"
    "P08: In Manchester – it’s where I met my “mentor”…\n"
    "\n"
    "She changed everything.\n"
    "Interviewer: Thank you.\n"
)


@pytest.mark.parametrize(
    ("name", "encoding", "guessed"),
    [
        ("utf16.txt", "utf-16", False),
        ("utf16be.txt", "utf-16", False),
        ("bom_crlf.txt", "utf-8-sig", False),
        ("cp1252.txt", "cp1252", True),
        ("cr_only.txt", "utf-8", False),
    ],
)
def test_every_encoding_decodes_to_the_same_text_with_lf_line_ends(name, encoding, guessed):
    decoded = decode((DATA / name).read_bytes(), name)
    assert decoded.text == EXPECTED  # curly quotes, dashes and ellipses kept as written
    assert decoded.encoding == encoding
    assert decoded.guessed is guessed


def test_a_bom_never_reaches_the_text():
    decoded = decode(b"\xef\xbb\xbfInterviewer: hi\n", "x.txt")
    assert decoded.text.startswith("Interviewer:")


def test_plain_utf8_is_not_reported_as_guessed():
    decoded = decode("P01: café\n".encode(), "x.txt")
    assert (decoded.text, decoded.encoding, decoded.guessed) == ("P01: café\n", "utf-8", False)


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty"),
        (b"  \n\n ", "empty"),
        (bytes(range(256)) * 4, "binary data"),
        (b"Interviewer: caf\x81 \x8d\n", "cannot be read"),
        (b"\x01\x02\x03\x04\x05\x06\x07\x08 junk " * 20, "binary data"),
    ],
)
def test_undecodable_bytes_are_one_error_naming_the_file(data, reason):
    with pytest.raises(TranscriptError) as caught:
        decode(data, "P99.txt")
    assert str(caught.value).startswith(("P99.txt: ", "P99.txt, line "))
    assert reason in str(caught.value)
    assert "\n" not in str(caught.value)
    assert "\ufffd" not in str(caught.value)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252", "mac_roman", "utf-16"])
def test_control_characters_are_counted_alike_in_bytes_and_in_text(encoding):
    from slqual.transcripts.encoding import _CONTROL, _control_count

    text = "Interviewer:\x01 caf\u00e9 \x7f\x1b\tok\r\n\x0c \u2019 \x00"
    data = text.encode(encoding)
    decoded = data.decode(encoding).lstrip("\ufeff")
    assert _control_count(data, decoded, encoding) == len(_CONTROL.findall(decoded)) == 4
