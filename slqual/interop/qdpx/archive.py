"""Opening a ``.qdpx`` safely: it is untrusted input (a colleague's file, a download).

Before anything is unpacked: the entry count is capped, every entry name must
stay inside the archive (no ``../``, no absolute or drive paths), and the
sizes the archive declares are checked against caps (Python's zip reader
never unpacks past a declared size, so a "zip bomb" is refused unread).
``project.qde`` is parsed with defusedxml whenever it holds a DOCTYPE, so a
file declaring entities (the "billion laughs") or external references is
refused; without a DOCTYPE, XML can declare no entities and refer to nothing
outside itself, and the standard (C) parser reads large projects several times
faster.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
import zipfile
import zlib
from pathlib import Path, PurePosixPath
from urllib.parse import unquote

from slqual.interop.qdpx.model import PROJECT_FILE, QdpxError
from slqual.transcripts.archive import oversized, parse_untrusted_xml, size_text

MB = 1024 * 1024
MAX_ENTRIES = 100_000
MAX_QDE_BYTES = 1024 * MB  # project.qde of a very large project is a few hundred MB
MAX_TEXT_BYTES = 64 * MB  # one text source
MAX_UNPACKED = 8 * 1024 * MB  # everything, audio and video included (never unpacked by slqual)
_DRIVE = re.compile(r"^[A-Za-z]:")
_ZIP_ERRORS = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    zlib.error,
    EOFError,
    NotImplementedError,
    RuntimeError,
)


class QdpxArchive:
    """A checked ``.qdpx`` zip; ``read`` returns one entry's bytes (size-checked again)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            self.zip = zipfile.ZipFile(path)
            members = self.zip.infolist()
        except FileNotFoundError:
            raise QdpxError(f"{path}: file not found; check the path") from None
        except OSError as exc:
            raise QdpxError(f"{path}: cannot be read ({exc.strerror or exc}); check the file") from exc
        except _ZIP_ERRORS as exc:
            raise QdpxError(
                f"{path}: not a readable .qdpx (a REFI-QDA project is a zip file; this one is damaged or "
                "of another type); export the project again from your QDA program"
            ) from exc
        if len(members) > MAX_ENTRIES:
            self.close()
            raise QdpxError(
                f"{path}: holds {len(members):,} files, more than a project needs (at most {MAX_ENTRIES:,}); "
                "refused as damaged or hostile"
            )
        for info in members:
            if not _safe_name(info.filename):
                self.close()
                raise QdpxError(
                    f"{path}: refused: entry '{info.filename}' points outside the archive "
                    "(an absolute path or '..'); the file is damaged or hostile"
                )
        problem = oversized(members, _part_limit, MAX_UNPACKED)
        if problem:
            self.close()
            what, limit = problem
            raise QdpxError(
                f"{path}: refused: {what}, more than slqual accepts (at most {size_text(limit)}); "
                "the file is damaged or hostile (a 'zip bomb')"
            )
        self.members = {info.filename.replace("\\", "/"): info for info in members if not info.is_dir()}
        self._folded = {name.casefold(): name for name in self.members}

    def close(self) -> None:
        self.zip.close()

    def __enter__(self) -> QdpxArchive:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def find(self, name: str) -> str | None:
        """The entry of that name (case does not matter, %20 and the like decoded), or None."""
        name = name.replace("\\", "/").lstrip("/")
        for candidate in (name, unquote(name)):
            if candidate in self.members:
                return candidate
            folded = self._folded.get(candidate.casefold())
            if folded:
                return folded
        return None

    def project_entry(self) -> str:
        """The name of project.qde: at the top, or the only .qde anywhere in the archive."""
        found = self.find(PROJECT_FILE)
        if found:
            return found
        qde = [n for n in self.members if n.lower().endswith(".qde")]
        if len(qde) == 1:
            return qde[0]
        raise QdpxError(
            f"{self.path}: holds no {PROJECT_FILE}, so it is not a REFI-QDA project; "
            "export the project from your QDA program as REFI-QDA (.qdpx)"
        )

    def read(self, name: str, limit: int) -> bytes:
        info = self.members[name]
        if info.file_size > limit:
            raise QdpxError(
                f"{self.path}: entry '{name}' would unpack to {size_text(info.file_size)}, more than "
                f"slqual reads (at most {size_text(limit)}); refused"
            )
        try:
            return self.zip.read(info)
        except _ZIP_ERRORS + (OSError,) as exc:
            raise QdpxError(
                f"{self.path}: entry '{name}' cannot be unpacked (damaged or encrypted); "
                "export the project again from your QDA program"
            ) from exc


def _safe_name(name: str) -> bool:
    name = name.replace("\\", "/")
    if name.startswith("/") or _DRIVE.match(name):
        return False
    return ".." not in PurePosixPath(name).parts


def _part_limit(info: zipfile.ZipInfo) -> int:
    name = info.filename.lower()
    if name.endswith(".qde"):
        return MAX_QDE_BYTES
    return MAX_UNPACKED


def parse_qde(data: bytes, source: str) -> ET.Element:
    """The root of project.qde, parsed without entity expansion or external references."""
    if not data.strip():
        raise QdpxError(f"{source}: project.qde is empty; export the project again from your QDA program")
    return parse_untrusted_xml(
        data,
        refused=lambda: QdpxError(
            f"{source}: refused: project.qde declares XML entities or external references, which a "
            "REFI-QDA project never needs (the file is damaged or hostile); nothing was written"
        ),
        malformed=lambda line, column: QdpxError(
            f"{source}: project.qde line {line}, column {column}: not well-formed XML; "
            "export the project again from your QDA program"
        ),
    )
