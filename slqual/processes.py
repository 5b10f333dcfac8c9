"""Whether a process on this machine is still running: for locks and for temporary files left by kills."""

from __future__ import annotations

import os


def process_alive(pid: int) -> bool:
    """True while process ``pid`` runs (also when it belongs to another user)."""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # running, but as another user
        return True
    except OSError:
        return False
    return True
