"""A sparse count matrix held as its entries, so that a plain ``slqual agree`` needs no scipy.

MASI's expected disagreement multiplies incidence matrices (which sets each unit holds, which
subsets each set holds) by counts: for the point estimate one column, which ``np.bincount`` sums
at once; for bootstrap batches many columns, where scipy.sparse (imported only then) is quicker.
Every entry counts 1 and the counts are whole numbers (segments, resample draws, words), so both
ways give the same sums exactly.
"""

from __future__ import annotations

from functools import cached_property

import numpy as np


class Incidence:
    """An (n_rows, n_cols) matrix with a 1 added at each (rows[i], cols[i])."""

    def __init__(self, rows: np.ndarray, cols: np.ndarray, shape: tuple[int, int]) -> None:
        self.rows = np.asarray(rows, dtype=np.int64).ravel()
        self.cols = np.asarray(cols, dtype=np.int64).ravel()
        self.shape = (int(shape[0]), int(shape[1]))

    @cached_property
    def _csr(self):
        from scipy import sparse

        return sparse.csr_matrix((np.ones(len(self.rows)), (self.rows, self.cols)), shape=self.shape)

    def __matmul__(self, dense: np.ndarray) -> np.ndarray:
        """This matrix times ``dense`` (n_cols, B): (n_rows, B)."""
        dense = np.asarray(dense, dtype=float)
        if dense.shape[1] == 1:
            summed = np.bincount(self.rows, weights=dense[self.cols, 0], minlength=self.shape[0])
            return summed[:, None]
        return np.asarray(self._csr @ dense)

    def keep_columns(self, keep: np.ndarray) -> Incidence:
        """The matrix with only the columns where ``keep`` (n_cols,) holds, renumbered in order."""
        keep = np.asarray(keep, dtype=bool)
        new_index = np.cumsum(keep) - 1
        inside = keep[self.cols]
        return Incidence(self.rows[inside], new_index[self.cols[inside]], (self.shape[0], int(keep.sum())))
