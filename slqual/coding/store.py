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
import time
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
    columns = list(frame.columns)
    extras = [c for c in columns if c not in CODING_COLUMNS]
    # Column lists zipped into dicts: many times faster than DataFrame.to_dict on 80,000 rows.
    values = [frame[c].astype(str).tolist() for c in columns]
    return [dict(zip(columns, row, strict=True)) for row in zip(*values, strict=True)], extras


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

    An answer is saved when its journal line is on disk. Folding answers into
    the CSV (compaction) follows at once while the file is short; a file of
    more than ``background_rows`` rows is compacted by a background thread
    when the coder pauses, so saving an answer never waits for a whole-file
    rewrite.
    Each compaction re-reads the file when it changed on disk since this
    session last read or wrote it, and writes back only the segments this
    session answered: rows it did not change are never written over.
    """

    # Rewriting a file of this many rows takes about 20 ms here: longer files are compacted in the
    # background. A row count, not a timing, so that a busy machine does not change the behaviour.
    background_rows = 5_000
    idle_seconds = 0.5  # background compaction waits for a pause this long between answers...
    max_pending = 500  # ...or for this many answers

    def __init__(self, project: Project, coder: str, segment_order: list[str] | None = None) -> None:
        self.project = project
        self.coder = check_coder_name(coder)
        self.path = project.coder_path(coder)
        self.journal = journal_path(project, coder)
        self._order = {sid: i for i, sid in enumerate(segment_order or [])}
        self._rows: dict[str, list[dict[str, str]]] = {}
        self._changed: dict[str, list[dict[str, str]]] = {}  # this session's answers, by segment
        self.extra_columns: list[str] = []  # columns the researcher added to the file; kept as they are
        self._history_kept = False
        self._handle: io.TextIOWrapper | None = None
        self._journal_lock = threading.Lock()
        self._file_lock = threading.Lock()  # one compaction at a time
        self._worker: threading.Thread | None = None
        self._worker_error: BaseException | None = None
        self._wake = threading.Condition()
        self._stopping = False
        self._last_answer = 0.0
        self._background = False  # True while the file is longer than background_rows
        self._seq = 0  # number of the last answer journalled
        self._folded = 0  # number of the last answer in the CSV
        self._seen: tuple[int, int] | None = None  # (mtime_ns, size) of the file as last read or written
        self.compactions_in_background = 0
        self._rendered: dict[str, tuple[list[dict[str, str]], str]] = {}  # segment -> (rows, CSV text)
        self._sorted_ids: list[str] | None = None
        self._line_buffer = io.StringIO()
        self._line_writer = csv.writer(self._line_buffer, lineterminator="\n")
        self.history_path: Path | None = None
        self.recovered = 0
        self._load()

    # reading -------------------------------------------------------------
    def _load(self) -> None:
        if self.path.exists():
            self._rows = self._read_file()
        pending = self._pending_journal()
        if pending:
            for answer in pending:
                self._changed[answer.segment_id] = self._rows[answer.segment_id] = answer_rows(
                    answer, self.coder
                )
            self._write_csv(dict(self._rows))
            self.recovered = len(pending)
        if self.journal.exists():
            self.journal.unlink()

    def _read_file(self) -> dict[str, list[dict[str, str]]]:
        rows_by_segment: dict[str, list[dict[str, str]]] = {}
        stat = self.path.stat()
        rows, self.extra_columns = read_coder_rows(self.path, self.coder)
        for row in rows:
            rows_by_segment.setdefault(row["segment_id"], []).append(row)
        self._seen = (stat.st_mtime_ns, stat.st_size)
        if len(rows) > self.background_rows and not self._background:
            self._background = True
            fields = [*CODING_COLUMNS, *self.extra_columns]
            for sid, segment_rows in rows_by_segment.items():  # rendered now, not while the coder waits
                self._render(sid, segment_rows, fields)
        return rows_by_segment

    def _pending_journal(self) -> list[Answer]:
        """Answers journalled after the last checkpoint: given, but maybe not yet in the CSV."""
        if not self.journal.exists():
            return []
        pending: list[tuple[int, Answer]] = []
        with open(self.journal, encoding="utf-8") as handle:
            for line in handle:
                try:
                    entry = json.loads(line)
                except json.JSONDecodeError:
                    continue  # a line cut short by a kill: its answer never reached the screen's "saved"
                if "folded_through" in entry:  # every answer up to this number is in the CSV
                    through = int(entry["folded_through"])
                    pending = [(seq, answer) for seq, answer in pending if seq > through]
                elif "folded" in entry:  # journals of earlier versions: one checkpoint per answer
                    pending.clear()
                elif "answer" in entry:
                    pending.append((int(entry.get("seq", 0)), Answer.from_json(entry["answer"])))
        return [answer for _, answer in pending]

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
        """Make an answer durable now: journal it (fsync), then fold it into the CSV.

        Ctrl-C, a closed terminal or a plain kill arriving meanwhile takes effect
        once the answer is saved, so a session never ends half-way through one.
        """
        if not answer.coded_at:
            answer = replace(answer, coded_at=utc_now_iso())
        with _signals_deferred():
            return self._save(answer)

    def _save(self, answer: Answer) -> Answer:
        self._raise_worker_error()
        rows = answer_rows(answer, self.coder)
        with self._journal_lock:
            self._seq += 1
            handle = self._journal_handle()
            entry = {"seq": self._seq, "answer": answer.to_json()}
            handle.write(json.dumps(entry, ensure_ascii=False) + "\n")
            handle.flush()
            os.fsync(handle.fileno())
            self._rows[answer.segment_id] = rows
            self._changed[answer.segment_id] = rows
        if self._background:
            self._compact_in_background()
        else:
            self._compact()
        return answer

    def _journal_handle(self) -> io.TextIOWrapper:
        if self._handle is None:
            self.journal.parent.mkdir(parents=True, exist_ok=True)
            self._handle = open(self.journal, "a", encoding="utf-8")  # noqa: SIM115 - closed in close()
        return self._handle

    def _compact(self) -> None:
        """Fold every answer journalled so far into the CSV (re-reading the file if it changed)."""
        with self._file_lock:
            with self._journal_lock:
                through = self._seq
                changed = dict(self._changed)
            if through == self._folded:
                return
            rows = self._merged(changed)
            self._write_csv(rows)
            self._background = sum(map(len, rows.values())) > self.background_rows
            with self._journal_lock:
                self._folded = through
                if self._handle is not None:
                    # A lost checkpoint only means answers are replayed once more: no fsync needed.
                    self._handle.write(json.dumps({"folded_through": through}) + "\n")
                    self._handle.flush()

    def _merged(self, changed: dict[str, list[dict[str, str]]]) -> dict[str, list[dict[str, str]]]:
        """The rows to write: the file as it is on disk now, with this session's answers over it."""
        if self._seen is not None and self.path.exists():
            stat = self.path.stat()
            if (stat.st_mtime_ns, stat.st_size) != self._seen:
                on_disk = self._read_file()
                on_disk.update(changed)
                self._sorted_ids = None  # the file's segments may differ from the ones in memory
                with self._journal_lock:
                    for sid, rows in on_disk.items():
                        self._rows.setdefault(sid, rows)
                return on_disk
        with self._journal_lock:
            return dict(self._rows)

    def _compact_in_background(self) -> None:
        """Ask the worker to compact once the coder pauses (``idle_seconds`` without an answer)."""
        with self._wake:
            self._last_answer = time.monotonic()
            if self._worker is None or not self._worker.is_alive():
                self._worker = threading.Thread(target=self._work, daemon=True)
                self._worker.start()
            self._wake.notify()

    def _work(self) -> None:
        while True:
            with self._wake:
                while not self._stopping:
                    waited = time.monotonic() - self._last_answer
                    pending = self._seq - self._folded
                    if pending and (waited >= self.idle_seconds or pending >= self.max_pending):
                        break
                    self._wake.wait(None if not pending else self.idle_seconds - waited)
                if self._stopping:
                    return
            try:
                self._compact()
                self.compactions_in_background += 1
            except BaseException as exc:  # noqa: BLE001 - handed to the session's thread, never lost
                self._worker_error = exc
                return

    def wait_for_compaction(self) -> None:
        """Stop the background worker (after its current compaction) and raise what it failed with."""
        if self._worker is not None:
            with self._wake:
                self._stopping = True
                self._wake.notify()
            self._worker.join()
            self._worker, self._stopping = None, False
        self._raise_worker_error()

    def _raise_worker_error(self) -> None:
        if self._worker_error is not None:
            error, self._worker_error = self._worker_error, None
            raise error

    def _write_csv(self, rows_by_segment: dict[str, list[dict[str, str]]]) -> None:
        if not self._history_kept:
            # The file as it was when the session started, kept once per session.
            self.history_path = keep_history(self.project.root, self.path)
            self._history_kept = True
        fields = [*CODING_COLUMNS, *self.extra_columns]
        header = io.StringIO()
        csv.writer(header, lineterminator="\n").writerow(fields)
        parts = [header.getvalue()]
        parts += [self._render(sid, rows_by_segment[sid], fields) for sid in self._sorted(rows_by_segment)]
        try:
            atomic_write_text(self.path, "".join(parts))
        except OSError as exc:
            raise CodingsError(
                f"{self.path}: cannot be written ({exc.strerror or exc}); check the disk and permissions"
            ) from exc
        stat = self.path.stat()
        self._seen = (stat.st_mtime_ns, stat.st_size)

    def _sorted(self, rows_by_segment: dict[str, list[dict[str, str]]]) -> list[str]:
        """Segments in project order, then in the order first seen; sorted again only when new ones come."""
        if self._sorted_ids is not None and len(self._sorted_ids) == len(rows_by_segment):
            return self._sorted_ids  # same segments as last time (segments are never removed here)
        insertion = {sid: i for i, sid in enumerate(rows_by_segment)}

        def key(sid: str) -> tuple[int, int]:
            return (0, self._order[sid]) if sid in self._order else (1, insertion[sid])

        self._sorted_ids = sorted(rows_by_segment, key=key)
        return self._sorted_ids

    def _render(self, sid: str, rows: list[dict[str, str]], fields: list[str]) -> str:
        """A segment's CSV lines, rendered once and kept until its rows change (answers replace the list)."""
        cached = self._rendered.get(sid)
        if cached is not None and cached[0] is rows:
            return cached[1]
        self._line_buffer.seek(0)
        self._line_buffer.truncate()
        self._line_writer.writerows([row.get(f, "") for f in fields] for row in rows)
        text = self._line_buffer.getvalue()
        self._rendered[sid] = (rows, text)
        return text

    def close(self) -> None:
        """End the session: fold in what is left; the journal goes once every answer is in the CSV."""
        try:
            self.wait_for_compaction()
            self._compact()
        finally:
            if self._handle is not None:
                self._handle.close()
                self._handle = None
        if self.journal.exists() and self._folded == self._seq:
            self.journal.unlink()

    def __enter__(self) -> CodingStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
