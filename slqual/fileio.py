"""Safe file writing: atomic replacement and kept history.

An interrupted run must leave either the old file or the new one, never half
of one; and no command replaces a coder's work without keeping the old file.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pandas is heavy: import it only where a DataFrame is written
    import pandas as pd

INTERNAL_DIR = ".slqual"


def atomic_write_bytes(path: Path | str, data: bytes) -> None:
    """Write ``data`` to ``path`` via a temporary file beside it, fsync, then replace."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        # mkstemp makes an owner-only file; give the new file the old file's mode,
        # or the usual mode for new files, so colleagues can still open shared studies.
        os.chmod(tmp, _mode_for(path))
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    _fsync_dir(path.parent)


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
