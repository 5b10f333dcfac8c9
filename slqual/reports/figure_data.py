"""The data behind the report's figures: code co-occurrence and codes first seen by interview order.

Kept apart from the tables module because the figures (and the data sheets beside them) are their
only readers.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from slqual.errors import ReportError

if TYPE_CHECKING:
    import pandas as pd

    from slqual.reports.inputs import ReportInputs

ORDER_COLUMNS = ("order", "interview_date")  # participant columns giving the interview order


def positions_in(values: pd.Series, order: list[str]):
    """Each value's position in ``order`` (the last, should a key repeat), -1 where it is not there."""
    import numpy as np
    import pandas as pd

    position = {key: i for i, key in enumerate(order)}
    found = pd.Index(list(position)).get_indexer(values)  # -1 picks the -1 appended
    return np.append(np.fromiter(position.values(), dtype=np.int64, count=len(position)), -1)[found]


def cooccurrence_frame(inputs: ReportInputs) -> pd.DataFrame:
    """Units (codes, or themes at --level theme) x units: segments coded with both."""
    import numpy as np
    import pandas as pd
    from scipy.sparse import csr_matrix

    coded = inputs.coded
    present = set(coded["unit"].tolist())
    order = [i for i in inputs.codebook.ids() if i in present]
    if not order:
        return pd.DataFrame()
    # Sparse: a segment has a few units, and a dense product ran BLAS threads over every segment.
    segment, unit = pd.factorize(coded["segment_id"])[0], positions_in(coded["unit"], order)
    pairs = np.unique(np.stack([segment, unit])[:, unit >= 0], axis=1)  # (segment, unit), each once
    onehot = csr_matrix((np.ones(pairs.shape[1], dtype=np.int64), pairs), shape=(len(segment), len(order)))
    return pd.DataFrame((onehot.T @ onehot).toarray().astype(np.int64), index=order, columns=order)


def interview_order(inputs: ReportInputs) -> list[str]:
    """Participants in interview order: an 'order' column, else 'interview_date', else file order."""
    import pandas as pd

    people = inputs.participants
    for column in ORDER_COLUMNS:
        if column not in people.columns:
            continue
        if column == "order":
            keys = pd.to_numeric(people[column], errors="coerce")
        else:
            keys = pd.to_datetime(people[column], errors="coerce")
        bad = people.index[keys.isna()]
        if len(bad):
            raise ReportError(
                f"participants.csv: '{column}' of participant {people.at[bad[0], 'participant_id']} is "
                f"'{people.at[bad[0], column]}'; give every participant a "
                f"{'number' if column == 'order' else 'date like 2024-03-01'}"
            )
        ranked = people.assign(_key=keys).sort_values("_key", kind="stable")
        return ranked["participant_id"].tolist()
    return people["participant_id"].tolist()


def saturation_frame(inputs: ReportInputs) -> pd.DataFrame:
    """Cumulative distinct codes (or themes) against interviews in order."""
    import pandas as pd

    interviewed = set(inputs.segments["participant_id"].tolist())
    order = [p for p in interview_order(inputs) if p in interviewed]
    rank = {pid: i for i, pid in enumerate(order)}
    first = inputs.coded.assign(_rank=inputs.coded["participant_id"].map(rank)).groupby("unit")["_rank"].min()
    new = first.value_counts().reindex(range(len(order)), fill_value=0)
    group_of = dict(zip(inputs.participants["participant_id"], inputs.participants[inputs.by], strict=True))
    ids = {"participant_id": order} if inputs.ids_shown else {}
    return pd.DataFrame(
        {
            "interview": range(1, len(order) + 1),
            **ids,
            "participant": [inputs.label_of(p) for p in order],
            inputs.by: [group_of[p] for p in order],
            "new_codes": new.astype(int).tolist(),
            "distinct_codes": new.cumsum().astype(int).tolist(),
        }
    )
