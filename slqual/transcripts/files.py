"""Finding transcript files in a folder, and reading one safely.

Only regular files are read: a FIFO, a device or a socket is skipped with a
reason (reading a FIFO waits for ever, ``/dev/zero`` never ends). Links are
followed only when their target lies inside the transcripts folder, unless
``follow_links``; everything skipped is said, with why. A file is read with
its byte limit enforced while reading, not only by the size the file system
claims.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

from slqual.errors import ProjectError, TranscriptError
from slqual.transcripts.base import reader_for

_CHUNK = 1 << 20


@dataclass
class Found:
    """What a folder holds: transcripts to read, other files, and what was left out and why."""

    files: list[Path] = field(default_factory=list)
    skipped: list[Path] = field(default_factory=list)  # files that are not transcripts
    notes: list[str] = field(default_factory=list)  # links, special files, unreadable folders


def _inside(path: Path, folder: Path) -> bool:
    try:
        path.relative_to(folder)
    except ValueError:
        return False
    return True


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def discover(
    folder: Path, exclude: frozenset[Path] = frozenset(), *, follow_links: bool = False, shown=str
) -> Found:
    """Transcript files under ``folder`` (sorted, subfolders included), the other files, and notes.

    Paths in ``exclude`` (the project's own files and folders) are left out
    silently. ``shown`` turns a path into the name the user knows.
    """
    found = Found()
    if folder.is_file() or folder.is_symlink() and not folder.is_dir():
        _consider(folder, folder.parent.resolve(), found, follow_links=True, shown=shown)
        return found
    if not folder.is_dir():
        raise ProjectError(f"{folder}: folder not found; give the folder that holds the transcripts")
    root = folder.resolve()
    seen: set[Path] = {root}

    def unreadable(exc: OSError) -> None:
        where = Path(exc.filename) if exc.filename else folder
        found.notes.append(
            f"{shown(where)}: folder cannot be read ({exc.strerror or exc}); its files were not ingested "
            "(check its permissions)"
        )

    for here, dirs, names in os.walk(folder, onerror=unreadable, followlinks=follow_links):
        keep = []
        for name in sorted(dirs):
            path = Path(here, name)
            if name.startswith(".") or path.resolve() in exclude:
                continue
            if path.is_symlink():
                target = path.resolve()
                if target in seen or _inside(target, root) and not follow_links:
                    found.notes.append(
                        f"{shown(path)}: a link to a folder already read ({shown(target)}); not read twice"
                    )
                    continue
                if not follow_links:
                    found.notes.append(
                        f"{shown(path)}: a link to the folder {target} outside the transcripts folder; "
                        "skipped (use --follow-links to read it)"
                    )
                    continue
                seen.add(target)
            keep.append(name)
        dirs[:] = keep
        here_resolved = Path(here).resolve()  # once per folder: resolving every file's path is slow
        for name in sorted(names):
            path = Path(here) / name
            if exclude and (path.resolve() if path.is_symlink() else here_resolved / name) in exclude:
                continue
            _consider(path, root, found, follow_links=follow_links, shown=shown)
    return found


def _consider(path: Path, root: Path, found: Found, *, follow_links: bool, shown) -> None:
    name = path.name
    hidden = name.startswith((".", "~$")) or name.endswith("~")
    if hidden or reader_for(path) is None:
        found.skipped.append(path)
        return
    if path.is_symlink():
        target = path.resolve()
        if not follow_links and not _inside(target, root):
            found.notes.append(
                f"{shown(path)}: a link to {target}, outside the transcripts folder; skipped "
                "(copy the file in, or use --follow-links to read it)"
            )
            return
    try:
        mode = os.stat(path).st_mode
    except OSError as exc:
        found.notes.append(f"{shown(path)}: cannot be read ({exc.strerror or exc}); skipped")
        return
    if not stat.S_ISREG(mode):
        found.notes.append(f"{shown(path)}: {_kind(mode)}, not a transcript file; skipped")
        return
    found.files.append(path)


def read_limited(path: Path, limit: int, name: str, what: str) -> bytes:
    """A regular file's bytes, refusing a file past ``limit`` bytes as it is read.

    Opened without blocking and checked again once open, so a file swapped for
    a FIFO or a device meanwhile is refused rather than waited on.
    """
    too_big = TranscriptError(
        f"{name}: larger than {limit // 1048576} MB, far larger than an interview transcript "
        f"(slqual reads {what} files up to {limit // 1048576} MB); check that it is the right file, "
        "or split it into one file per interview"
    )
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except OSError as exc:
        raise TranscriptError(f"{name}: cannot be read ({exc.strerror or exc}); check the file") from exc
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise TranscriptError(f"{name}: {_kind(info.st_mode)}, not a transcript file; remove it")
        if info.st_size > limit:
            raise too_big
        chunks, total = [], 0
        while True:
            chunk = os.read(fd, _CHUNK)
            if not chunk:
                break
            total += len(chunk)
            if total > limit:
                raise too_big
            chunks.append(chunk)
        return b"".join(chunks)
    except OSError as exc:
        raise TranscriptError(f"{name}: cannot be read ({exc.strerror or exc}); check the file") from exc
    finally:
        os.close(fd)
