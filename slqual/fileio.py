"""Safe file writing: atomic replacement and kept history.

An interrupted run must leave either the old file or the new one, never half
of one; and no command replaces a coder's work without keeping the old file.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import shutil
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pandas is heavy: import it only where a DataFrame is written
    import pandas as pd

INTERNAL_DIR = ".slqual"
# Temporary files are named ".<target>.<pid>.<random>.tmp", so a later run can tell a write that
# is still going on (its process lives) from one a kill cut short. Files of the older naming
# without a pid count as stale once they are an hour old: a write takes seconds.
_TEMPORARY = re.compile(r"^\.(?P<target>.+?)\.(?:(?P<pid>\d+)\.)?[^.]+\.tmp$")
LEGACY_STALE_SECONDS = 3600


def atomic_write_bytes(path: Path | str, data: bytes) -> None:
    """Write ``data`` to ``path`` via a temporary file beside it, fsync, then replace.

    An OSError (a full disk, a read-only folder) names ``path``, whichever step failed.
    """
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.{os.getpid()}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise _naming(exc, path) from exc
    try:
        # mkstemp makes an owner-only file; give the new file the old file's mode,
        # or the usual mode for new files, so colleagues can still open shared studies.
        os.chmod(tmp, _mode_for(path))
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException as exc:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        if isinstance(exc, OSError):
            raise _naming(exc, path) from exc
        raise
    _fsync_dir(path.parent)


def _naming(exc: OSError, path: Path) -> OSError:
    """The same error, naming the file the user knows rather than a temporary one (or none)."""
    if exc.filename == str(path):
        return exc
    code = exc.errno or errno.EIO
    return type(exc)(code, exc.strerror or os.strerror(code), str(path))


def remove_stale_temporaries(folder: Path | str) -> list[Path]:
    """Delete temporary files that slqual's own writes left behind when killed; return them.

    Only files of slqual's naming are touched, and only when the process that
    made them has ended (or, for the older naming without a process id, after an hour).
    """
    from slqual.processes import process_alive

    removed = []
    try:
        candidates = [p for p in Path(folder).iterdir() if p.name.startswith(".") and p.name.endswith(".tmp")]
    except OSError:
        return removed
    for path in candidates:
        match = _TEMPORARY.match(path.name)
        if match is None or not path.is_file():
            continue
        pid = match.group("pid")
        try:
            stale = (
                not process_alive(int(pid))
                if pid
                else time.time() - path.stat().st_mtime > LEGACY_STALE_SECONDS
            )
            if stale:
                path.unlink()
                removed.append(path)
        except OSError:
            continue
    return removed


def _mode_for(path: Path) -> int:
    try:
        return path.stat().st_mode & 0o7777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def atomic_write_text(path: Path | str, text: str) -> None:
    """Write UTF-8 text with LF line ends atomically."""
    atomic_write_bytes(path, text.encode("utf-8"))


def atomic_write_csv(path: Path | str, frame: pd.DataFrame) -> None:
    """Write a DataFrame as UTF-8 CSV (LF line ends, no index) atomically."""
    atomic_write_text(path, frame.to_csv(index=False, lineterminator="\n"))


def timestamp() -> str:
    """A UTC time stamp that sorts and is safe in file names: 20261126T121500Z."""
    return datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")


def utc_now_iso() -> str:
    """The current UTC time in ISO 8601 to the second, as coded_at uses."""
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def keep_history(project_root: Path, path: Path) -> Path | None:
    """Copy ``path`` into ``.slqual/history/`` with a time stamp before it is replaced.

    Returns the copy's path, or None when there was no file to keep.
    """
    path = Path(path)
    if not path.exists():
        return None
    history = Path(project_root) / INTERNAL_DIR / "history"
    history.mkdir(parents=True, exist_ok=True)
    target = history / f"{path.stem}.{timestamp()}{path.suffix}"
    shutil.copy2(path, target)
    return target


def _fsync_dir(directory: Path) -> None:
    # Make the rename itself durable; not every platform can open a directory.
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
