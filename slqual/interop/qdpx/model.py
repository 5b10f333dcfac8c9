"""What slqual reads from and writes to a REFI-QDA project (``.qdpx``): names, GUIDs and plain values.

A ``.qdpx`` is a zip holding ``project.qde`` (QDA-XML, namespace
``urn:QDA-XML:project:1.0``) and the source files under ``sources/``. The
dataclasses here are what the loader finds in another program's file, before
anything is mapped onto slqual's segments.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, NamedTuple

from slqual.errors import SlqualError
from slqual.interop.qdc import GUID_NAMESPACE, RawCode

NS = "urn:QDA-XML:project:1.0"
NS_PREFIX = "urn:QDA-XML:project:"
SCHEMA_PATH = Path(__file__).resolve().parent.parent / "schemas" / "Project-mrt2019.xsd"
PROJECT_FILE = "project.qde"
SOURCES_DIR = "sources"
QUOTE_LABEL = "Quote: "  # a selection description that holds a coder's marked quote
_DATE_TIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})?")


class QdpxError(SlqualError):
    """A .qdpx file that cannot be written or read; the message names the file and what to do."""


def guid(kind: str, *parts: str) -> str:
    """A stable GUID for one thing of a kind (a user, a source, a selection ...) named by its parts.

    Codes use ``slqual.interop.qdc.guid_for(id)`` instead, so that a project's
    codes keep the GUIDs of the codebook's ``.qdc`` export.
    """
    return fast_uuid5(kind + ":" + "\x1f".join(parts))


_NAMESPACE_BYTES = GUID_NAMESPACE.bytes


def fast_uuid5(name: str) -> str:
    """``str(uuid.uuid5(GUID_NAMESPACE, name))``, several times faster (an export makes 100,000s)."""
    digest = bytearray(hashlib.sha1(_NAMESPACE_BYTES + name.encode("utf-8")).digest()[:16])
    digest[6] = (digest[6] & 0x0F) | 0x50  # version 5
    digest[8] = (digest[8] & 0x3F) | 0x80  # RFC 4122 variant
    h = digest.hex()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


@lru_cache(maxsize=4096)  # coder files repeat the same few times thousands of times
def is_date_time(value: str) -> bool:
    """True for an ISO 8601 date and time that xsd:dateTime accepts (as coded_at holds)."""
    return bool(_DATE_TIME.fullmatch(value or ""))


class Coding(NamedTuple):
    """One code applied to a selection (a tuple: a large project holds 100,000s)."""

    code: str  # the code's GUID, lower case without braces
    user: str  # the coding user's GUID ("" when the file names none)
    created: str = ""
    notes: tuple[str, ...] = ()  # texts of the notes attached to the coding


class Selection(NamedTuple):
    """A coded span of a text source: characters ``start`` to ``end`` (end excluded)."""

    guid: str
    start: int
    end: int
    user: str
    codings: tuple[Coding, ...]
    description: str = ""
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class TextSource:
    """A text document; ``text`` is None when it could not be found or read (``problem`` says why)."""

    guid: str
    name: str
    text: str | None
    selections: tuple[Selection, ...] = ()
    problem: str = ""
    values: tuple[tuple[str, str], ...] = ()  # (variable name, value) of the document itself


@dataclass(frozen=True)
class Case:
    """A case (a participant): attribute values and the sources and selections linked to it."""

    guid: str
    name: str
    values: tuple[tuple[str, str], ...]
    sources: tuple[str, ...] = ()
    selections: tuple[str, ...] = ()


@dataclass(frozen=True)
class Skipped:
    """Something in the file that slqual cannot map, and how many of it."""

    what: str
    count: int
    detail: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"what": self.what, "count": self.count, "detail": self.detail}


@dataclass(frozen=True)
class QdpxProject:
    """What the loader read from a ``.qdpx``."""

    name: str
    origin: str
    users: dict[str, str]  # GUID -> name, in file order
    codes: tuple[RawCode, ...]
    sources: tuple[TextSource, ...]
    variables: tuple[str, ...]
    cases: tuple[Case, ...]
    skipped: tuple[Skipped, ...] = ()
    notes: tuple[str, ...] = field(default=())
    default_user: str = ""  # the project's creatingUserGUID, for codings that name no user


@lru_cache(maxsize=65536)  # the same users and codes come back on every coding
def clean_guid(value: str | None) -> str:
    """A GUID as slqual compares them: lower case, without braces or spaces."""
    if not value:
        return ""
    return value.strip().strip("{}").lower()


def split_description(description: str) -> tuple[str, str]:
    """A selection's description as (quote, memo): ``Quote: ...`` is slqual's marked quote."""
    if description.startswith(QUOTE_LABEL):
        return description[len(QUOTE_LABEL) :].strip(), ""
    return "", description
