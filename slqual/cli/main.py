"""The ``slqual`` command's entry point.

Exit codes: 0 success; 1 a check ran and found problems; 2 the command could
not run (usage, missing or unreadable input, invalid data); 3 an internal
error (a bug), with the hint to rerun with ``--debug``.

``slqual``, ``slqual --help`` and ``slqual --version`` are answered here without
loading typer or any command; everything else goes to the typer application in
:mod:`slqual.cli.app`, which loads only the command named.
"""

from __future__ import annotations

import importlib
import os
import sys
from typing import Any

from slqual.errors import EXIT_OK, EXIT_USAGE


def run() -> None:
    """Console-script entry point."""
    args = sys.argv[1:]
    if args in ([], ["-h"], ["--help"]):
        from slqual.cli.toplevel import print_top_help

        print_top_help()
        sys.exit(EXIT_USAGE if not args else EXIT_OK)  # no command at all is a usage error, as before
    if args == ["--version"]:
        from slqual import __version__

        print(f"slqual {__version__}")
        return
    # numpy asks Linux for 2 MB pages for every large array; in a command that lives seconds the kernel
    # spends more time zeroing and compacting memory for them than they save (half the system time of
    # a dense agreement, up to a second of a large report). Read when numpy is first imported, so set
    # here; a value the user set is kept.
    os.environ.setdefault("NUMPY_MADVISE_HUGEPAGE", "0")
    reuse_freed_memory()
    from slqual.cli.app import app, state

    state.debug = "--debug" in args
    app()


# glibc's mallopt parameters (malloc.h)
M_TRIM_THRESHOLD, M_MMAP_THRESHOLD = -1, -3


def reuse_freed_memory() -> None:
    """Let the C library keep large freed blocks for the next array instead of returning them.

    By default glibc gives every block over 32 MB its own pages from the kernel and returns them when
    freed, so each large temporary array of numpy is zeroed again by the kernel: a tenth of the time
    of ``slqual agree`` on 50,000 segments. A command lives seconds, so keeping them costs nothing.
    Where the C library is not glibc (macOS, musl), or the user tuned malloc, nothing changes.
    """
    if not sys.platform.startswith("linux") or any(k.startswith("MALLOC_") for k in os.environ):
        return
    import ctypes

    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):
        return
    mallopt(M_MMAP_THRESHOLD, 1 << 30)  # blocks up to 1 GB come from the reusable heap
    mallopt(M_TRIM_THRESHOLD, (1 << 31) - 1)  # and freed heap memory is kept


def __getattr__(name: str) -> Any:
    # `from slqual.cli.main import app` keeps working for tests and notebooks.
    if name in ("app", "state", "all_commands", "SlqualGroup"):
        return getattr(importlib.import_module("slqual.cli.app"), name)
    raise AttributeError(f"module 'slqual.cli.main' has no attribute {name!r}")
