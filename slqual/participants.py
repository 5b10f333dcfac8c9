"""participants.csv: one row per participant, every column an attribute."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from slqual.errors import ProjectError

if TYPE_CHECKING:
    import pandas as pd


def read_participants(path: Path | str) -> pd.DataFrame:
    """Read participants.csv as text columns; ids must be present and unique."""
    import pandas as pd

    from slqual.csvfiles import csv_separator  # Excel writes ';' in many countries

    path = Path(path)
    if not path.is_file():
        raise ProjectError(f"{path}: participants file not found; create it with a participant_id column")
    try:
        frame = pd.read_csv(
            path, dtype=str, keep_default_na=False, encoding="utf-8-sig", sep=csv_separator(path)
        )
    except UnicodeDecodeError as exc:
        raise ProjectError(f"{path}: not UTF-8 text; save it as 'CSV UTF-8' from your spreadsheet") from exc
    except OSError as exc:
        raise ProjectError(f"{path}: cannot be read ({exc.strerror or exc}); check the file") from exc
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise ProjectError(f"{path}: not a readable CSV file ({exc}); check the commas and quotes") from exc
    frame.columns = [str(c).strip() for c in frame.columns]
    if "participant_id" not in frame.columns:
        raise ProjectError(f"{path}: no 'participant_id' column; add one as the first column")
    frame = frame.apply(lambda col: col.str.strip())
    blank = frame.index[frame["participant_id"] == ""]
    if len(blank):
        raise ProjectError(f"{path}, row {blank[0] + 2}: empty participant_id; fill it in or delete the row")
    dupes = frame["participant_id"][frame["participant_id"].duplicated()]
    if len(dupes):
        first = dupes.iloc[0]
        rows = [str(i + 2) for i in frame.index[frame["participant_id"] == first]]
        raise ProjectError(
            f"{path}, rows {', '.join(rows)}: participant_id '{first}' appears more than once; "
            "each participant needs one row"
        )
    return frame.reset_index(drop=True)
