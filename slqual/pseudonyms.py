"""Participant labels: what outputs call a participant instead of their id.

A label comes from a pattern (``quotes.label`` in slqual.yaml), by default
``{participant_id}``. The pattern may use:

- ``{participant_id}`` (or ``{id}``): the id in participants.csv;
- ``{group}``: the participant's value of the grouping attribute;
- ``{group_initials}``: the initials of the group's label ("Non-clinical
  managers" gives NCM), upper case;
- ``{n}``: the participant's number within their group, from 1, in the order
  of participants.csv (``{n:02d}`` pads it);
- any other column of participants.csv by name.

So ``"{group_initials}{n}"`` gives CM1, CM2, ... and NCM1, NCM2, ...: stable
pseudonyms that do not change when a report filters participants.
"""

from __future__ import annotations

import re
import string
from typing import TYPE_CHECKING

from slqual.errors import SlqualError

if TYPE_CHECKING:
    import pandas as pd

DEFAULT_LABEL = "{participant_id}"


class LabelError(SlqualError):
    """A label pattern that cannot make one label per participant."""


def initials(text: str) -> str:
    """'Non-clinical managers' -> 'NCM'; 'GP' -> 'GP'."""
    words = [w for w in re.split(r"[\s_\-/]+", text) if w]
    if len(words) == 1 and words[0].isupper():
        return words[0]
    return "".join(w[0] for w in words).upper()


def pattern_fields(pattern: str) -> list[str]:
    """The field names a pattern uses, or a LabelError for a pattern that cannot be read."""
    try:
        return [name for _, name, _, _ in string.Formatter().parse(pattern) if name is not None]
    except ValueError as exc:
        raise LabelError(f"label pattern '{pattern}': {exc}; write fields as {{name}}") from exc


def participant_labels(
    participants: pd.DataFrame,
    pattern: str = DEFAULT_LABEL,
    group_by: str = "group",
    group_labels: dict[str, str] | None = None,
    source: str = "slqual.yaml quotes.label",
) -> dict[str, str]:
    """Each participant's label by id (see the module docstring); labels are unique."""
    group_labels = group_labels or {}
    columns = list(participants.columns)
    fields = pattern_fields(pattern)
    if not fields:
        raise LabelError(
            f"{source}: the pattern '{pattern}' has no field, so every participant would get the same "
            "label; use e.g. '{group_initials}{n}' or '{participant_id}'"
        )
    known = {"participant_id", "id", "group", "group_initials", "n", *columns}
    unknown = [f for f in fields if f not in known]
    if unknown:
        raise LabelError(
            f"{source}: unknown field '{{{unknown[0]}}}' in '{pattern}'; use participant_id, group, "
            f"group_initials, n or a column of participants.csv ({', '.join(columns)})"
        )
    needs_group = any(f in ("group", "group_initials", "n") for f in fields)
    if needs_group and group_by not in columns:
        raise LabelError(
            f"{source}: '{pattern}' needs the grouping attribute '{group_by}' in participants.csv"
        )
    counters: dict[str, int] = {}
    labels: dict[str, str] = {}
    owner: dict[str, str] = {}
    for row in participants.to_dict("records"):
        pid = str(row["participant_id"])
        group = str(row.get(group_by, "")) if group_by in columns else ""
        counters[group] = counters.get(group, 0) + 1
        values = {str(k): "" if v is None else str(v) for k, v in row.items()}
        values.update(
            participant_id=pid,
            id=pid,
            group=group,
            group_initials=initials(group_labels.get(group, group)),
        )
        try:
            label = pattern.format_map({**values, "n": counters[group]})
        except (ValueError, KeyError, IndexError) as exc:
            raise LabelError(f"{source}: '{pattern}' cannot be filled in ({exc})") from exc
        if label in owner:
            raise LabelError(
                f"{source}: '{pattern}' gives {owner[label]} and {pid} the same label '{label}'; "
                "add {n} or {participant_id} to the pattern"
            )
        owner[label] = pid
        labels[pid] = label
    return labels
