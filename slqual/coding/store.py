"""The durable store of one coder's answers: nothing answered is ever lost.

Every answer is first appended to a journal (``.slqual/journal/<coder>.jsonl``)
and fsynced, then folded into ``codings/<coder>.csv`` by an atomic rewrite,
and a checkpoint line is added to the journal. So the coder's CSV is always a
complete, valid file, and a process killed at any moment loses at most the
segment on screen: an answer journalled but not yet folded is replayed the
next time the store is opened. The file as it was before the first change of a
session is kept once in ``.slqual/history/``.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import signal
import threading
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from slqual.codings import CODING_COLUMNS, check_coder_name, read_coding
from slqual.errors import CodingsError
from slqual.fileio import atomic_write_text, keep_history, utc_now_iso

if TYPE_CHECKING:
    from slqual.project import Project

JOURNAL_DIR = "journal"


@dataclass(frozen=True)
class Answer:
    """One coder's answer for one segment. No codes means "read, and no code applies"."""

    segment_id: str
    codes: tuple[str, ...] = ()
    memo: str = ""
    exemplar: bool = False
    coded_at: str = ""
    quote: str = ""  # the words to quote from the segment, as the coder marked them

    def to_json(self) -> dict[str, Any]:
        return {
            "segment_id": self.segment_id,
            "codes": list(self.codes),
            "memo": self.memo,
            "exemplar": self.exemplar,
            "coded_at": self.coded_at,
            "quote": self.quote,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Answer:
        return cls(
            segment_id=str(data["segment_id"]),
            codes=tuple(str(c) for c in data.get("codes", ())),
            memo=str(data.get("memo", "")),
            exemplar=bool(data.get("exemplar", False)),
            coded_at=str(data.get("coded_at", "")),
            quote=str(data.get("quote", "")),
        )


def journal_path(project: Project, coder: str) -> Path:
    return project.internal_dir / JOURNAL_DIR / f"{coder}.jsonl"


def answer_rows(answer: Answer, coder: str) -> list[dict[str, str]]:
    """The CSV rows of one answer: one per code, or one with an empty code."""
    base = {
        "segment_id": answer.segment_id,
        "coder": coder,
        "coded_at": answer.coded_at,
        "memo": answer.memo,
        "exemplar": "1" if answer.exemplar else "",
        "quote": answer.quote,
    }
    return [{**base, "code": code} for code in (answer.codes or ("",))]


def read_coder_rows(path: Path, coder: str) -> tuple[list[dict[str, str]], list[str]]:
    """A coder file's rows with every column, and the names of the columns slqual adds nothing to.

    Columns a researcher added by hand (a 'notes' column, say) are kept, so that
    rewriting the file after an answer or an import never drops them.
    """
    frame = read_coding(path, coder, extra_columns=True)
    extras = [c for c in frame.columns if c not in CODING_COLUMNS]
    return [{c: str(v) for c, v in row.items()} for row in frame.to_dict("records")], extras


def rows_to_answer(segment_id: str, rows: list[dict[str, str]]) -> Answer:
    """Fold a segment's CSV rows back into one answer (memo, quote: first non-empty; exemplar: any)."""
    codes = tuple(dict.fromkeys(r["code"] for r in rows if r["code"]))
    memo = next((r["memo"] for r in rows if r["memo"]), "")
    exemplar = any(r["exemplar"].strip() == "1" for r in rows)
    coded_at = max((r["coded_at"] for r in rows), default="")
    quote = next((r.get("quote", "") for r in rows if r.get("quote")), "")
    return Answer(segment_id, codes, memo, exemplar, coded_at, quote)


STOP_SIGNALS = tuple(
    getattr(signal, name) for name in ("SIGINT", "SIGHUP", "SIGTERM") if hasattr(signal, name)
)


@contextlib.contextmanager
def _signals_deferred() -> Iterator[None]:
    """Hold back Ctrl-C, hang-up and terminate signals until the block ends, then act on them.

    Python runs signal handlers in the main thread only, so elsewhere the block runs as it is.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    caught: list[int] = []
    previous = {number: signal.signal(number, lambda n, _frame: caught.append(n)) for number in STOP_SIGNALS}
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
        for number in dict.fromkeys(caught):
            handler = previous[number]
            if callable(handler):
                handler(number, None)
            elif handler == signal.SIG_DFL:
                os.kill(os.getpid(), number)


class CodingStore:
    """One coder's assignments, saved answer by answer.

    Open it while holding the coder's lock (see ``slqual.coding.lock``), and
    ``close()`` it at the end of a session; an unclosed store is recovered
    from its journal the next time.
    """

    def __init__(self, project: Project, coder: str, segment_order: list[str] | None = None) -> None:
        self.project = project
        self.coder = check_coder_name(coder)
        self.path = project.coder_path(coder)
        self.journal = journal_path(project, coder)
        self._order = {sid: i for i, sid in enumerate(segment_order or [])}
        self._rows: dict[str, list[dict[str, str]]] = {}
        self.extra_columns: list[str] = []  # columns the researcher added to the file; kept as they are
        self._history_kept = False
        self._handle: io.TextIOWrapper | None = None
        self._unfolded = False
        self.history_path: Path | None = None
        self.recovered = 0
        self._load()

    # reading -------------------------------------------------------------
    def _load(self) -> None:
        if self.path.exists():
            rows, self.extra_columns = read_coder_rows(self.path, self.coder)
            for row in rows:
                self._rows.setdefault(row["segment_id"], []).append(row)
        pending = self._pending_journal()
        if pending:
            for answer in pending:
                self._rows[answer.segment_id] = answer_rows(answer, self.coder)
            self._write_csv()
            self.recovered = len(pending)
        if self.journal.exists():
            self.journal.unlink()

    def _pending_journal(self) -> list[Answer]:
        """Answers journalled after the last checkpoint: given, but maybe not yet in the CSV."""
        if not self.journal.exists():
            return []
        pending: list[Answer] = []
        with open(self.journal, encoding="utf-8") as handle:
            for line in handle:
                try:
                    entry = json.loads(line)
                except json.JSONDecodeError:
                    continue  # a line cut short by a kill: its answer never reached the screen's "saved"
                if "folded" in entry:
                    pending.clear()
                elif "answer" in entry:
                    pending.append(Answer.from_json(entry["answer"]))
        return pending

    def answer(self, segment_id: str) -> Answer | None:
        """The saved answer for a segment, or None when it has not been coded."""
        rows = self._rows.get(segment_id)
        return rows_to_answer(segment_id, rows) if rows else None

    def coded_ids(self) -> set[str]:
        return set(self._rows)

    def is_coded(self, segment_id: str) -> bool:
        return segment_id in self._rows

    # writing -------------------------------------------------------------
    def save(self, answer: Answer) -> Answer:
        """Make an answer durable now: journal (fsync), then atomically rewrite the CSV.

        Ctrl-C, a closed terminal or a plain kill arriving meanwhile takes effect
        once the answer is saved, so a session never ends half-way through one.
        """
        if not answer.coded_at:
            answer = replace(answer, coded_at=utc_now_iso())
        with _signals_deferred():
            return self._save(answer)

    def _save(self, answer: Answer) -> Answer:
        handle = self._journal_handle()
        handle.write(json.dumps({"answer": answer.to_json()}, ensure_ascii=False) + "\n")
        handle.flush()
        os.fsync(handle.fileno())
        self._unfolded = True
        self._rows[answer.segment_id] = answer_rows(answer, self.coder)
        self._write_csv()
        # A lost checkpoint only means the answer is replayed once more: no fsync needed.
        handle.write(json.dumps({"folded": answer.segment_id}) + "\n")
        handle.flush()
        self._unfolded = False
        return answer

    def _journal_handle(self) -> io.TextIOWrapper:
        if self._handle is None:
            self.journal.parent.mkdir(parents=True, exist_ok=True)
            self._handle = open(self.journal, "a", encoding="utf-8")  # noqa: SIM115 - closed in close()
        return self._handle

    def _write_csv(self) -> None:
        if not self._history_kept:
            # The file as it was when the session started, kept once per session.
            self.history_path = keep_history(self.project.root, self.path)
            self._history_kept = True
        insertion = {sid: i for i, sid in enumerate(self._rows)}

        def key(sid: str) -> tuple[int, int]:
            return (0, self._order[sid]) if sid in self._order else (1, insertion[sid])

        buffer = io.StringIO()
        writer = csv.DictWriter(
            buffer, fieldnames=[*CODING_COLUMNS, *self.extra_columns], lineterminator="\n", restval=""
        )
        writer.writeheader()
        for sid in sorted(self._rows, key=key):
            writer.writerows(self._rows[sid])
        try:
            atomic_write_text(self.path, buffer.getvalue())
        except OSError as exc:
            raise CodingsError(
                f"{self.path}: cannot be written ({exc}); check the disk and permissions"
            ) from exc

    def close(self) -> None:
        """End the session; the journal goes once every answer in it is in the CSV."""
        if self._handle is not None:
            self._handle.close()
            self._handle = None
        if self.journal.exists() and not self._unfolded:
            self.journal.unlink()

    def __enter__(self) -> CodingStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
