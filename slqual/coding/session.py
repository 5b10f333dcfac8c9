"""The terminal coding session as a state machine, testable without a terminal.

A session walks through participant segments one at a time. ``screen()`` says
what to show; ``handle(line)`` takes one line the coder typed and returns a
``Reply``. Every answer goes straight to the ``CodingStore``, which makes it
durable before ``handle`` returns.

Input on a segment: code numbers or ids (comma or space separated; a unique
prefix of an id, or of its last part, is enough), ``0`` or ``-`` for "no code
applies", ``?`` for help and ``?N`` / ``?id`` for a code's definition, ``m``
for a memo, ``e`` to mark or unmark an exemplar quote, ``b`` to go back, ``s``
to skip for now, ``q`` to quit. The segment's sentences are numbered on
screen: ``q 3-4`` (or ``q 2``, ``q 1,3-4``) stores those sentences' exact words
as the answer's quote (parts joined with ``...``), ``q -`` clears it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from slqual.coding.frame import SegmentView, segment_views
from slqual.coding.quotes import quote_sentences
from slqual.coding.store import Answer, CodingStore
from slqual.errors import CodebookError, CodingsError

if TYPE_CHECKING:
    from slqual.codebook import Codebook, CodeNode
    from slqual.project import Project

NONE_INPUTS = ("0", "-", "none")
COMMANDS = ("?", "m", "e", "b", "s", "q")
INPUT_HELP = (
    "Type code numbers or ids (e.g. '3 7' or 'barriers.bureaucracy'), comma or space separated; "
    "0 or - when no code applies; ?N for what code N means; m memo; e exemplar; "
    "q 2-3 quotes sentences 2 to 3 (q - clears the quote); b back; s skip for now; q quit."
)


@dataclass(frozen=True)
class CodeEntry:
    """A numbered code in the list under the segment."""

    number: int
    id: str
    label: str  # the id without its theme prefix, e.g. 'time_pressure'
    name: str
    theme: str
    depth: int


@dataclass(frozen=True)
class Screen:
    """Everything to show for the segment on screen."""

    segment: SegmentView
    position: int  # 1-based position among the segments in scope
    total: int
    coded: int  # segments in scope that this coder has coded
    saved: Answer | None  # the answer already saved for this segment
    memo: str  # the memo that the next answer will carry
    exemplar: bool
    review_old: str = ""  # marked for review: the words the saved codes were given to
    quote: str = ""  # the quote the next answer will carry
    sentences: tuple[str, ...] = ()  # the segment's sentences, numbered from 1 on screen
    suggested: tuple[str, ...] = ()  # codes a pseudo-coder suggests (--suggest): Enter accepts them

    @property
    def percent(self) -> float:
        return 100.0 * self.coded / self.total if self.total else 100.0


@dataclass(frozen=True)
class Reply:
    """The result of one input line. ``kind`` is one of:

    saved, confirmed, skipped, back, memo, ask_memo, exemplar, quote, help, code_help, error, done, quit.
    """

    kind: str
    message: str = ""
    code: CodeNode | None = None
    answer: Answer | None = None


def code_entries(codebook: Codebook, theme: str | None = None) -> list[CodeEntry]:
    """The codes to offer, numbered from 1 in codebook order (one theme only when ``theme`` is given)."""
    if theme is not None and theme not in codebook:
        themes = ", ".join(t.id for t in codebook.themes)
        raise CodebookError(f"theme '{theme}' is not in the codebook; themes are: {themes}")
    if theme is not None and codebook.node(theme).parent is not None:
        raise CodebookError(
            f"'{theme}' is a code, not a theme; use its theme '{codebook.theme_of(theme)}' with --theme"
        )
    nodes = codebook.descendants(theme) if theme else list(codebook)
    entries = []
    for number, node in enumerate(nodes, start=1):
        top = codebook.theme_of(node.id)
        label = node.id[len(top) + 1 :] if node.id.startswith(top + ".") else node.id
        entries.append(CodeEntry(number, node.id, label, node.name, top, node.depth))
    return entries


class CodingSession:
    """Walks one coder through segments; see the module docstring for the input."""

    def __init__(
        self,
        segments: list[SegmentView],
        codebook: Codebook,
        store: CodingStore,
        *,
        theme: str | None = None,
        revisit: bool = False,
        review: dict[str, str] | None = None,
        confirm: Callable[[str], None] | None = None,
        suggestions: dict[str, tuple[str, ...]] | None = None,
    ) -> None:
        self.segments = segments
        # segment id -> the old words, for segments marked for review; ``confirm`` clears a mark
        self.review = dict(review or {})
        self._confirm = confirm
        self.codebook = codebook
        self.store = store
        self.theme = theme
        self.revisit = revisit
        self.entries = code_entries(codebook, theme)
        self._by_id = {e.id: e for e in self.entries}
        self._theme_ids = set(self._by_id) if theme else set()
        # Suggested codes that are on offer here (a theme shown alone offers only its codes).
        self.suggestions = {
            sid: kept
            for sid, codes in (suggestions or {}).items()
            if (kept := tuple(c for c in codes if c in self._by_id))
        }
        self.skipped: set[int] = set()
        self.history: list[int] = []
        self.answered = 0
        self.mode = "code"
        self.index: int | None = self._next_from(-1)
        self._load_pending()

    # navigation ----------------------------------------------------------
    def _next_from(self, start: int) -> int | None:
        for i in range(start + 1, len(self.segments)):
            if self.revisit:
                return i
            if i not in self.skipped and not self.store.is_coded(self.segments[i].segment_id):
                return i
        return None

    def _load_pending(self) -> None:
        saved = self._saved()
        self.memo = saved.memo if saved else ""
        self.exemplar = saved.exemplar if saved else False
        self.quote = saved.quote if saved else ""

    def _saved(self) -> Answer | None:
        if self.index is None:
            return None
        return self.store.answer(self.segments[self.index].segment_id)

    def _advance(self) -> None:
        assert self.index is not None
        self.history.append(self.index)
        self.index = self._next_from(self.index)
        self._load_pending()

    @property
    def finished(self) -> bool:
        """True when no segment in scope is left to show."""
        return self.index is None

    def coded_in_scope(self) -> int:
        return sum(self.store.is_coded(s.segment_id) for s in self.segments)

    def screen(self) -> Screen | None:
        """The segment on screen, or None when the session has run out of segments."""
        if self.index is None:
            return None
        return Screen(
            segment=self.segments[self.index],
            position=self.index + 1,
            total=len(self.segments),
            coded=self.coded_in_scope(),
            saved=self._saved(),
            memo=self.memo,
            exemplar=self.exemplar,
            review_old=self.review.get(self.segments[self.index].segment_id, ""),
            quote=self.quote,
            sentences=self.sentences(),
            suggested=self.suggestions.get(self.segments[self.index].segment_id, ()),
        )

    def sentences(self) -> tuple[str, ...]:
        """The sentences of the segment on screen, as ``q N-M`` numbers them."""
        from slqual.transcripts.turns import split_sentences

        if self.index is None:
            return ()
        return tuple(split_sentences(self.segments[self.index].text))

    # input ---------------------------------------------------------------
    def handle(self, line: str) -> Reply:
        """Act on one line of input; answers are saved before this returns."""
        text = line.strip()
        if self.mode == "memo":
            self.mode = "code"
            return self._set_memo(text, prompted=True)
        command = text.lower()
        if command in ("q", "quit", "exit"):
            return Reply("quit", f"Stopped. {self.answered} answer(s) saved in this session.")
        if command.startswith("q ") and self.index is not None:
            return self._quote(text[2:].strip())
        if command in ("b", "back"):
            return self._back()
        if self.index is None:
            if command == "":
                return Reply("quit", f"Finished. {self.answered} answer(s) saved in this session.")
            return Reply("error", "Nothing left to code here: b goes back to the last segment, q quits.")
        if command == "":
            sid = self.segments[self.index].segment_id
            suggested = self.suggestions.get(sid)
            if suggested and sid not in self.review:  # Enter confirms the suggested codes, only now saved
                return self._save(suggested)
            return self._confirm_review()
        if command in ("s", "skip"):
            return self._skip()
        if command == "e":
            return self._toggle_exemplar()
        if command == "m":
            self.mode = "memo"
            return Reply("ask_memo", "Memo for this segment (Enter keeps it as it is, '-' deletes it):")
        if command.startswith("m ") or command.startswith("m:"):
            return self._set_memo(text[2:].strip(), prompted=False)
        if command.startswith("?"):
            return self._help(text[1:].strip())
        if command in NONE_INPUTS:
            return self._save(())
        return self._save_codes(text)

    def _confirm_review(self) -> Reply:
        assert self.index is not None
        sid = self.segments[self.index].segment_id
        saved = self._saved()
        if sid not in self.review or saved is None:
            return Reply("error", "Nothing typed. " + INPUT_HELP)
        self._cleared(sid)
        self._advance()
        said = ", ".join(saved.codes) if saved.codes else "no code applies"
        return Reply("confirmed", f"Confirmed {sid}: {said} still apply to its edited words.")

    def _cleared(self, segment_id: str) -> None:
        if segment_id in self.review:
            del self.review[segment_id]
            if self._confirm is not None:
                self._confirm(segment_id)

    def _back(self) -> Reply:
        if not self.history:
            return Reply("error", "This is the first segment of the session: there is nothing to go back to.")
        self.index = self.history.pop()
        self.skipped.discard(self.index)
        self._load_pending()
        return Reply("back", f"Back to {self.segments[self.index].segment_id}: type its new answer.")

    def _skip(self) -> Reply:
        assert self.index is not None
        sid = self.segments[self.index].segment_id
        state = "its saved answer is unchanged" if self.store.is_coded(sid) else "it stays uncoded"
        self.skipped.add(self.index)
        self._advance()
        return Reply("skipped", f"Skipped {sid} for now; {state}.")

    def _toggle_exemplar(self) -> Reply:
        self.exemplar = not self.exemplar
        state = "marked as an exemplar quote" if self.exemplar else "no longer marked as an exemplar"
        saved = self._saved()
        if saved is not None:  # already coded: the change is saved at once
            self.store.save(replace(saved, exemplar=self.exemplar, coded_at=""))
            return Reply("exemplar", f"Saved: {saved.segment_id} {state}.")
        return Reply("exemplar", f"This segment will be {state} when you give its codes.")

    def _quote(self, spec: str) -> Reply:
        sentences = self.sentences()
        quote = "" if spec == "-" else quote_sentences(spec, sentences)
        if quote is None:
            return Reply(
                "error",
                f"'q {spec}' is not a sentence number or range: the sentences go from 1 to "
                f"{len(sentences)}, e.g. q 2 or q 2-3 (q - clears the quote).",
            )
        self.quote = quote
        said = f"“{quote}”" if quote else "cleared (the report chooses)"
        saved = self._saved()
        if saved is not None:  # already coded: the change is saved at once
            self.store.save(replace(saved, quote=quote, coded_at=""))
            return Reply("quote", f"Quote {said}; saved for {saved.segment_id}.")
        return Reply("quote", f"Quote {said}; it is saved with this segment's codes.")

    def _set_memo(self, text: str, prompted: bool) -> Reply:
        if self.index is None:
            return Reply("error", "No segment on screen to write a memo for.")
        if prompted and text == "":
            return Reply("memo", "Memo unchanged.")
        self.memo = "" if text == "-" else text
        said = "deleted" if not self.memo else "noted"
        saved = self._saved()
        if saved is not None:
            self.store.save(replace(saved, memo=self.memo, coded_at=""))
            return Reply("memo", f"Memo {said} and saved for {saved.segment_id}.")
        return Reply("memo", f"Memo {said}; it is saved with this segment's codes.")

    def _help(self, what: str) -> Reply:
        if not what:
            return Reply("help", INPUT_HELP)
        ids, problems = self.resolve(what)
        if problems:
            return Reply("error", " ".join(problems))
        if len(ids) != 1:
            return Reply("error", "Ask about one code at a time, e.g. ?3")
        return Reply("code_help", "", code=self.codebook.node(ids[0]))

    def _save_codes(self, text: str) -> Reply:
        ids, problems = self.resolve(text)
        if problems:
            return Reply("error", " ".join(problems) + " Nothing was saved; type the answer again.")
        return self._save(tuple(ids))

    def _save(self, chosen: tuple[str, ...]) -> Reply:
        assert self.index is not None
        segment = self.segments[self.index]
        codes = chosen
        saved = self._saved()
        if self.theme and saved is not None:  # keep the codes of the themes not shown
            kept = tuple(c for c in saved.codes if c not in self._theme_ids)
            codes = kept + tuple(c for c in chosen if c not in kept)
        answer = self.store.save(
            Answer(segment.segment_id, codes, self.memo, self.exemplar, quote=self.quote)
        )
        self._cleared(segment.segment_id)  # coded again: no longer awaiting review
        self.answered += 1
        self._advance()
        said = ", ".join(answer.codes) if answer.codes else "no code applies"
        return Reply("saved", f"Saved {segment.segment_id}: {said}.", answer=answer)

    # resolving codes -------------------------------------------------------
    def resolve(self, text: str) -> tuple[list[str], list[str]]:
        """Code ids for typed numbers, ids, id prefixes or id endings; and what could not be read."""
        ids: list[str] = []
        problems: list[str] = []
        tokens = [t for t in re.split(r"[,;\s]+", text) if t]
        for token in tokens:
            if token.lower() in NONE_INPUTS:
                problems.append(f"'{token}' means 'no code applies' and cannot be combined with codes.")
                continue
            found, problem = self._resolve_one(token)
            if problem:
                problems.append(problem)
            elif found not in ids:
                ids.append(found)
        return ids, problems

    def _resolve_one(self, token: str) -> tuple[str, str]:
        if token.isdigit():
            number = int(token)
            if 1 <= number <= len(self.entries):
                return self.entries[number - 1].id, ""
            return "", f"'{token}' is not a code number (the numbers go from 1 to {len(self.entries)})."
        low = token.lower()
        for attribute in ("id", "label"):
            exact = [e.id for e in self.entries if getattr(e, attribute).lower() == low]
            if len(exact) == 1:
                return exact[0], ""
        matches = [e.id for e in self.entries if e.id.lower().startswith(low)]
        if not matches:
            matches = [
                e.id
                for e in self.entries
                if e.label.lower().startswith(low) or e.id.lower().rsplit(".", 1)[-1].startswith(low)
            ]
        if len(matches) == 1:
            return matches[0], ""
        if matches:
            shown = ", ".join(matches[:4]) + (", ..." if len(matches) > 4 else "")
            return "", f"'{token}' could be {shown}: type more of the id."
        if token in self.codebook and self.theme:
            return "", f"'{token}' is not in the theme '{self.theme}' shown here."
        close = self._close_to(low)
        hint = f" Did you mean {close}?" if close else ""
        return "", f"'{token}' is not a code number or id here (type ? for help).{hint}"

    def _close_to(self, low: str) -> str:
        """The code id a mistyped token most likely meant, or ''."""
        import difflib

        names = {e.id.lower(): e.id for e in self.entries}
        names.update((e.label.lower(), e.id) for e in self.entries if e.label.lower() not in names)
        close = difflib.get_close_matches(low, list(names), n=1, cutoff=0.7)
        return names[close[0]] if close else ""

    def completions(self) -> list[str]:
        """Words the terminal can complete: code ids and commands."""
        return [e.id for e in self.entries] + list(COMMANDS)


@contextmanager
def coding_session(
    project: Project,
    coder: str,
    *,
    document: str | None = None,
    theme: str | None = None,
    revisit: bool = False,
    review: bool = False,
    suggest: str | None = None,
) -> Iterator[tuple[CodingSession, str]]:
    """Open a session for one coder: take the lock, open the store, yield (session, note).

    ``note`` is non-empty when a stale lock or unsaved answers of an earlier,
    killed session were recovered. The lock is released and the store closed
    when the block ends, however it ends. With ``review``, only the segments
    marked for this coder's review are shown (Enter confirms the saved codes).
    """
    from slqual import review as reviews
    from slqual.codebook import load_project_codebook
    from slqual.coding.frame import coding_frame
    from slqual.coding.lock import coder_lock

    codebook = load_project_codebook(project)
    if theme is not None:
        code_entries(codebook, theme)  # a wrong theme fails before anything is locked
    frame = coding_frame(project)
    if document is not None and document not in set(frame["document"]):
        documents = sorted(set(frame["document"]))
        shown = ", ".join(documents[:10]) + (", ..." if len(documents) > 10 else "")
        raise CodingsError(
            f"{project.segments_path}: no participant segments for document '{document}'; "
            f"documents are: {shown or 'none'}"
        )
    segments = segment_views(frame, document)
    marks = {sid: m.old_text for sid, m in reviews.read_marks(project, coder).items()}
    if review:
        segments = [s for s in segments if s.segment_id in marks]
        revisit = True
        if not segments:
            raise CodingsError(
                f"nothing to review for '{coder}': no coded segment of theirs is marked for review"
            )
    suggestions = None
    if suggest is not None:
        from slqual.coding.pseudo import suggested_codes

        suggestions = suggested_codes(project, suggest)  # refuses a person's file
    with coder_lock(project, coder) as lock:
        store = CodingStore(project, coder, segment_order=list(frame["segment_id"]))
        session: CodingSession | None = None
        try:
            notes = [lock.note] if lock.note else []
            if store.recovered:
                notes.append(f"recovered {store.recovered} answer(s) of the earlier session from its journal")
            session = CodingSession(
                segments,
                codebook,
                store,
                theme=theme,
                revisit=revisit,
                review=marks,
                confirm=lambda sid: reviews.confirm(project, coder, [sid]),
                suggestions=suggestions,
            )
            yield session, "; ".join(notes)
        finally:
            store.close()
            if session is not None and session.answered:
                project.audit("code", coder=coder, answers=session.answered)
