"""Opening Word (.docx) and LibreOffice (.odt) files safely before any XML is parsed.

Both are zip archives. Before a part is unpacked, its size as the archive
declares it is checked (Python's zip reader never unpacks past that size), so
a "zip bomb" that would expand to gigabytes is refused without being read.
XML parts must not declare entities (a DOCTYPE): Word and LibreOffice never
write one, and entities are how "billion laughs" and external-entity files
attack XML readers.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from collections.abc import Callable
from xml.etree import ElementTree as ET

from slqual.errors import TranscriptError

MB = 1024 * 1024
MAX_PACKAGE_BYTES = 100 * MB  # a .docx or .odt file on disk (pictures included)
MAX_XML_PART = 64 * MB  # one XML part (the text of a very long transcript is a few MB)
MAX_UNPACKED = 256 * MB  # all parts together, pictures included
_CHUNK = MB
_OLE = bytes.fromhex("D0CF11E0A1B11AE1")  # Word 97-2003 .doc, and encrypted .docx files
_DECLARATIONS = tuple(
    mark.encode(encoding)
    for mark in ("<!DOCTYPE", "<!ENTITY")
    for encoding in ("ascii", "utf-16-le", "utf-16-be")
)


def check_package(data: bytes, name: str, kind: str, fix: str) -> None:
    """Refuse a damaged archive, one that unpacks too large, or XML with entity declarations.

    ``kind`` names the file type for messages ("Word file"), ``fix`` says
    what to do ("open it in Word and save it again as .docx").
    """
    if data.startswith(_OLE):
        raise TranscriptError(
            f"{name}: is an old-style Word .doc file (or a password-protected document) under another "
            f"name, not a {kind}; {fix}, without a password"
        )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
            problem = oversized(members, _part_limit, MAX_UNPACKED)
            if problem:
                size, limit = problem
                raise TranscriptError(
                    f"{name}: {size}, far more than a transcript needs (at most {size_text(limit)}); "
                    f"the file is damaged or is not a real {kind}: {fix}"
                )
            for info in members:
                if _is_xml(info.filename) and _declares_entities(archive, info):
                    raise TranscriptError(
                        f"{name}: part '{info.filename}' declares XML entities (a DOCTYPE), which "
                        f"no {kind} contains and which can be used to attack programs that read "
                        f"it, so it is not read; {fix}"
                    )
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        zlib.error,
        EOFError,
        OSError,
        NotImplementedError,
        RuntimeError,
    ) as exc:
        # not a zip (an old .doc renamed, a truncated download), a damaged part, or encryption
        raise TranscriptError(
            f"{name}: not a readable {kind} (the file is damaged, encrypted or of another type); {fix}"
        ) from exc


def oversized(
    members: list[zipfile.ZipInfo], part_limit: Callable[[zipfile.ZipInfo], int], total_limit: int
) -> tuple[str, int] | None:
    """The first size problem of an archive's members as declared in it (what, and the limit), or None.

    The declared sizes can be trusted for this: Python's zip reader never
    unpacks a member past its declared size.
    """
    total = 0
    for info in members:
        total += info.file_size
        limit = part_limit(info)
        if info.file_size > limit:
            return f"part '{info.filename}' would unpack to {size_text(info.file_size)}", limit
        if total > total_limit:
            return f"its parts would unpack to {size_text(total)} or more", total_limit
    return None


def _part_limit(info: zipfile.ZipInfo) -> int:
    return MAX_XML_PART if _is_xml(info.filename) else MAX_UNPACKED


def _is_xml(filename: str) -> bool:
    return filename.lower().endswith((".xml", ".rels"))


def _declares_entities(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bool:
    """Scan a part in chunks (never all at once) for a DOCTYPE or ENTITY declaration."""
    tail = b""
    with archive.open(info) as part:
        while chunk := part.read(_CHUNK):
            window = tail + chunk
            if any(mark in window for mark in _DECLARATIONS):
                return True
            tail = window[-32:]
    return False


def declares_entities(data: bytes) -> bool:
    """True when XML bytes hold a DOCTYPE or ENTITY declaration (in UTF-8, UTF-16 or ASCII).

    Without one, XML can define no entities and refer to nothing outside itself.
    """
    return any(mark in data for mark in _DECLARATIONS)


def parse_untrusted_xml(
    data: bytes, refused: Callable[[], Exception], malformed: Callable[[int, int], Exception]
) -> ET.Element:
    """The root of XML another program wrote, parsed without entity expansion or external references.

    Defused only when the bytes declare a DOCTYPE or ENTITY (without one there is nothing to expand
    and nothing outside to fetch, and the plain parser is faster). ``refused()`` is raised for a
    declaration defusedxml refuses, ``malformed(line, column)`` for XML that is not well formed: each
    caller words them for its own file.
    """
    import defusedxml
    import defusedxml.ElementTree as SafeET

    try:
        return SafeET.fromstring(data) if declares_entities(data) else ET.fromstring(data)
    except defusedxml.DefusedXmlException:
        raise refused() from None
    except ET.ParseError as exc:
        raise malformed(*getattr(exc, "position", (0, 0))) from None


def size_text(size: int) -> str:
    """A size for messages: '12 MB' or '300 KB'."""
    return f"{size / MB:,.0f} MB" if size >= MB else f"{size / 1024:,.0f} KB"
