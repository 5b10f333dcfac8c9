"""Krippendorff's cu-alpha for a theme whose codes are mutually exclusive (``exclusive: true``).

A codebook node marked ``exclusive: true`` is a semantic domain: its children are alternatives, and
a coder who places a segment in the domain chooses one of them. cu-alpha (Krippendorff 1995;
Krippendorff, Mathet, Bouvry & Widlöcher 2016; as ATLAS.ti reports it) is the nominal alpha over
which child was chosen, among the segments that two or more coders placed in the domain:

- a coder's value for a segment is the child under which they coded it (a code anywhere in that
  child's subtree counts for the child);
- a segment a coder did not place in the domain (or coded only with the domain node itself) has no
  value from that coder, so the statistic says nothing about *whether* the domain applies (the
  per-code and theme-level statistics say that); only about *which* alternative;
- a coder who put two children of an exclusive domain on one segment broke the codebook's rule:
  that rating is left out and counted in ``conflicts``.

Undefined, with the reason, when fewer than two segments were placed in the domain by two or more
coders or when every such rating chose the same child.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from slqual.agreement.nominal import point_statistics, terms_from_labels
from slqual.agreement.undefined import Stat


@dataclass(frozen=True)
class Domain:
    """An exclusive node: its id and name, its children, and per code (K,) the child index or -1."""

    node: str
    name: str
    children: tuple[str, ...]
    child_of: np.ndarray


@dataclass(frozen=True)
class CuAlpha:
    domain: Domain
    n: int  # segments with a value from two or more coders
    conflicts: int  # (segment, coder) ratings with two or more children of the domain
    alpha: Stat


def domain_labels(present: np.ndarray, rated: np.ndarray, domain: Domain) -> tuple[np.ndarray, int]:
    """(U, C) index of the child each coder chose, -1 for none or for a conflict; and the conflicts."""
    n_children = len(domain.children)
    onehot = np.zeros((present.shape[2], n_children))
    inside = domain.child_of >= 0
    onehot[np.nonzero(inside)[0], domain.child_of[inside]] = 1
    chosen = (present.astype(float) @ onehot) > 0  # (U, C, children)
    count = chosen.sum(axis=2)
    labels = np.where((count == 1) & rated, chosen.argmax(axis=2), -1)
    return labels, int(((count >= 2) & rated).sum())


def cu_alpha(
    present: np.ndarray,
    rated: np.ndarray,
    domains: tuple[Domain, ...],
    coders: tuple[str, ...] | None = None,
    weights: np.ndarray | None = None,
) -> tuple[CuAlpha, ...]:
    """cu-alpha for every exclusive domain (see the module docstring)."""
    out = []
    for domain in domains:
        labels, conflicts = domain_labels(present, rated, domain)
        stats, _, _ = point_statistics(
            terms_from_labels(labels[:, :, None], max(2, len(domain.children))),
            coders=coders,
            weights=weights,
        )
        n = int(((labels >= 0).sum(axis=1) >= 2).sum())
        out.append(CuAlpha(domain, n, conflicts, stats["krippendorff_alpha"]))
    return tuple(out)
