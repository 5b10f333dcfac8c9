"""Saving and loading fitted arrays (models, search indexes) without pickle, signed by the project.

A saved file is a NumPy ``.npz`` of plain numeric and text arrays, read with
``allow_pickle=False``, so loading it can never run code. Beside it, a
``.sig`` file holds an HMAC-SHA256 of its bytes keyed by the project's own
secret (``.slqual/secret.key``, made on first use, readable by its owner only).
A file whose signature does not match (changed after it was written, or
written by another project) is refused before it is read. Model files are not
meant to be shared: train your own from your own coding.
"""

from __future__ import annotations

import hashlib
import hmac
import io
import json
import os
import secrets
from pathlib import Path
from typing import TYPE_CHECKING, Any

from slqual.errors import SuggestError
from slqual.fileio import atomic_write_bytes

if TYPE_CHECKING:
    import numpy as np

    from slqual.project import Project

SECRET_FILE = "secret.key"
META_KEY = "__meta__"


def project_secret(project: Project) -> bytes:
    """The project's signing key, created (owner-only) the first time it is needed."""
    path = project.internal_dir / SECRET_FILE
    if not path.exists():
        project.internal_dir.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # another process made it first
            pass
        else:
            with os.fdopen(fd, "wb") as handle:
                handle.write(secrets.token_bytes(32))
                handle.flush()
                os.fsync(handle.fileno())
    key = path.read_bytes()
    if len(key) < 32:
        raise SuggestError(f"{path}: the project's signing key is damaged; delete it and train again")
    return key


def _signature(key: bytes, data: bytes) -> str:
    return hmac.new(key, data, hashlib.sha256).hexdigest()


def save_arrays(project: Project, path: Path, arrays: dict[str, np.ndarray], meta: dict[str, Any]) -> None:
    """Write arrays and JSON-able ``meta`` to ``path`` (.npz) and its signature beside it."""
    import numpy as np

    buffer = io.BytesIO()
    np.savez(buffer, **arrays, **{META_KEY: np.array(json.dumps(meta, ensure_ascii=False))})
    data = buffer.getvalue()
    atomic_write_bytes(path, data)
    atomic_write_bytes(_sig_path(path), _signature(project_secret(project), data).encode("ascii") + b"\n")


def load_arrays(project: Project, path: Path, retrain: str) -> tuple[dict[str, np.ndarray], dict[str, Any]]:
    """Read a file written by ``save_arrays`` of this project; refuse anything else.

    ``retrain`` is the command that makes a new file, for the messages.
    """
    import numpy as np

    if not path.is_file():
        raise SuggestError(f"{path}: not found; make it with '{retrain}'")
    data = path.read_bytes()
    sig_path = _sig_path(path)
    expected = _signature(project_secret(project), data)
    found = sig_path.read_text(encoding="ascii", errors="replace").strip() if sig_path.is_file() else ""
    if not hmac.compare_digest(found, expected):
        raise SuggestError(
            f"{path}: not written by this project (its signature {sig_path.name} is missing or does not "
            "match), so slqual will not read it; never use model files from elsewhere: run "
            f"'{retrain}'"
        )
    try:
        with np.load(io.BytesIO(data), allow_pickle=False) as archive:
            arrays = {name: archive[name] for name in archive.files}
        meta = json.loads(str(arrays.pop(META_KEY)))
    except (ValueError, KeyError, OSError) as exc:
        raise SuggestError(f"{path}: cannot be read ({exc}); run '{retrain}'") from exc
    return arrays, meta


def _sig_path(path: Path) -> Path:
    return path.with_name(path.name + ".sig")
