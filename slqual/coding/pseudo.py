"""Pseudo-coders: coder files written by a machine, not a person.

slqual writes two kinds: keyword pre-coding (``slqual autocode``, coder
``auto``) and model suggestions (``slqual suggest apply``, coder ``model``).
Every row they write carries a marker at the start of its memo, so a file is a
pseudo-coder's when it has rows and every row's memo starts with a marker. A
person who edits such a file by hand (a memo of their own) makes it theirs.

``status``, ``show``, ``report`` and ``suggest`` use this one definition.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Mapping

    import pandas as pd

    from slqual.project import Project

KEYWORD_MARKER = "keyword pre-coding"
MODEL_MARKER = "model suggestion"
# marker -> what status calls the kind
KINDS = {KEYWORD_MARKER: "keywords", MODEL_MARKER: "model"}


def pseudo_kind(coding: pd.DataFrame | Mapping[str, list[str]]) -> str | None:
    """'keywords' or 'model' when every row of a coder file carries that marker, else None."""
    memos = coding["memo"]  # a DataFrame's column or read_coding_columns' list
    memos = memos.tolist() if hasattr(memos, "tolist") else memos
    if not memos:
        return None
    for marker, kind in KINDS.items():
        if all(str(memo).startswith(marker) for memo in memos):
            return kind
    return None


def is_pseudo(coding: pd.DataFrame) -> bool:
    """True when a machine wrote every row of this coder file (see the module docstring)."""
    return pseudo_kind(coding) is not None


def is_pseudo_coder(project: Project, coder: str) -> bool:
    """True when ``codings/<coder>.csv`` exists and is a pseudo-coder's file."""
    from slqual.codings import read_coding

    path = project.coder_file(coder)
    return path.is_file() and is_pseudo(read_coding(path, coder))


def human_coders(project: Project) -> list[str]:
    """The coders of a project whose files a person wrote, sorted (a copied file whose name is no
    coder name, such as 'reviewer2 - Copy.csv', is not a coder)."""
    from slqual.project import CODER_NAME

    return [c for c in project.coders() if CODER_NAME.match(c) and not is_pseudo_coder(project, c)]


def may_overwrite(project: Project, coder: str, marker: str) -> bool:
    """True when a machine may (re)write ``coder``: no file yet, empty, or only ``marker`` rows."""
    from slqual.codings import read_coding

    path = project.coder_path(coder)
    if not path.exists():
        return True
    frame = read_coding(path, coder)
    return not len(frame) or bool(frame["memo"].astype(str).str.startswith(marker).all())


def suggested_codes(project: Project, coder: str) -> dict[str, tuple[str, ...]]:
    """A pseudo-coder's codes per segment (segments it left without a code are absent).

    Refuses a person's file: showing one reviewer's codes to another as
    pre-selected answers would end independent coding.
    """
    from slqual.codings import read_project_codings
    from slqual.errors import CodingsError

    frame = read_project_codings(project, [coder])[coder]
    if not is_pseudo(frame):
        raise CodingsError(
            f"{project.coder_path(coder)}: not a machine's suggestions (its memos lack the "
            f"'{MODEL_MARKER}' or '{KEYWORD_MARKER}' marker); --suggest takes a pseudo-coder such as "
            "model (slqual suggest apply) or auto (slqual autocode)"
        )
    used = frame[frame["code"] != ""]
    result: dict[str, tuple[str, ...]] = {}
    for sid, code in zip(used["segment_id"], used["code"], strict=True):
        result[sid] = (*result.get(sid, ()), code) if code not in result.get(sid, ()) else result[sid]
    return result
