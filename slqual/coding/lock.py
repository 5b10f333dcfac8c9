"""One session per coder at a time: a lock file per coder in ``.slqual/locks/``.

The lock holds the process id, host and start time of the session. A second
session for the same coder is refused with a message; a lock left behind by a
process that is no longer running is taken over with a note. Different coders
have different locks, so they can work at the same time.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from slqual.errors import CodingsError
from slqual.fileio import utc_now_iso
from slqual.processes import process_alive
from slqual.project import check_coder_name

if TYPE_CHECKING:
    from slqual.project import Project

LOCKS_DIR = "locks"
# A lock file still empty after this many seconds was left by a process killed while creating it.
EMPTY_LOCK_GRACE = 5.0


@dataclass(frozen=True)
class CoderLock:
    """A held lock. ``note`` says when a stale lock was taken over."""

    path: Path
    coder: str
    token: str
    note: str = ""

    def release(self) -> None:
        """Remove the lock file if it is still ours."""
        holder = _read(self.path)
        if holder is not None and holder.get("token") == self.token:
            with contextlib.suppress(FileNotFoundError):
                self.path.unlink()


def lock_path(project: Project, coder: str) -> Path:
    return project.internal_dir / LOCKS_DIR / f"{coder}.lock"


def _read(path: Path) -> dict[str, Any] | None:
    try:
        text = path.read_text(encoding="utf-8")
    except (FileNotFoundError, UnicodeDecodeError):
        return None
    try:
        data = json.loads(text)
    except json.JSONDecodeError:
        return {}
    return data if isinstance(data, dict) else {}


def lock_holder(project: Project, coder: str) -> dict[str, Any] | None:
    """Who holds the coder's lock right now (pid, host, started), or None when nobody does."""
    path = lock_path(project, coder)
    holder = _read(path)
    if not holder or not _holder_active(holder, path):
        return None
    return holder


def _holder_active(holder: dict[str, Any], path: Path) -> bool:
    if not holder:  # empty or unreadable: being written right now, or left by a kill
        try:
            return time.time() - path.stat().st_mtime < EMPTY_LOCK_GRACE
        except FileNotFoundError:
            return False
    if holder.get("host") != socket.gethostname():
        return True  # cannot see another machine's processes: assume it is still coding
    try:
        return process_alive(int(holder.get("pid", -1)))
    except (TypeError, ValueError):
        return False


def acquire_lock(project: Project, coder: str) -> CoderLock:
    """Take the coder's lock, or raise CodingsError when another session holds it."""
    check_coder_name(coder)
    path = lock_path(project, coder)
    path.parent.mkdir(parents=True, exist_ok=True)
    note = ""
    for _attempt in range(5):
        try:
            fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
        except FileExistsError:
            holder = _read(path)
            if holder is None:
                continue  # removed in between: try again
            if _holder_active(holder, path):
                raise CodingsError(_busy_message(coder, holder, path)) from None
            note = (
                f"took over the lock of an earlier session for '{coder}' that ended without "
                f"closing (process {holder.get('pid', '?')} is no longer running); its answers were kept"
            )
            with contextlib.suppress(FileNotFoundError):
                path.unlink()
            continue
        token = uuid.uuid4().hex
        data = {"pid": os.getpid(), "host": socket.gethostname(), "started": utc_now_iso(), "token": token}
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(json.dumps(data))
                handle.flush()
                os.fsync(handle.fileno())
        except OSError as exc:
            # An empty lock would make every other command wait for a session that never starts.
            with contextlib.suppress(OSError):
                path.unlink()
            raise CodingsError(
                f"{path}: the lock for '{coder}' could not be written ({exc.strerror or exc}); "
                "check that there is space on the disk and that you may write to the project folder"
            ) from exc
        return CoderLock(path=path, coder=coder, token=token, note=note)
    raise CodingsError(f"{path}: could not take the lock for '{coder}'; try again in a moment")


def _busy_message(coder: str, holder: dict[str, Any], path: Path) -> str:
    if not holder:
        return f"another session for '{coder}' is starting right now ({path}); try again in a moment"
    where = f"process {holder.get('pid', '?')} on {holder.get('host', '?')}"
    return (
        f"'{coder}' is already coding in another session ({where}, since {holder.get('started', '?')}); "
        f"finish that session first (type q there), or delete {path} if no such session is open"
    )


@contextlib.contextmanager
def coder_lock(project: Project, coder: str) -> Iterator[CoderLock]:
    """Hold the coder's lock for the duration of a ``with`` block."""
    lock = acquire_lock(project, coder)
    try:
        yield lock
    finally:
        lock.release()
