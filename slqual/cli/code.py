"""slqual code: code participant segments one at a time in the terminal."""

from __future__ import annotations

import contextlib
import signal
import sys
from collections.abc import Iterator
from typing import TYPE_CHECKING, Annotated

import typer
from rich.columns import Columns
from rich.markup import escape
from rich.padding import Padding
from rich.rule import Rule
from rich.text import Text

from slqual.cli.common import ProjectOption, get_project, info, stdout, warn

if TYPE_CHECKING:
    from slqual.coding.session import CodeEntry, CodingSession, Reply, Screen

PROMPT = "> "
KEYS = "0 none · ?N help · m memo · e exemplar · q 2-3 quote · b back · s skip · q quit"
QUESTION_LINES = 2  # a longer question is cut, so the segment stays in view
CODE_LINES_MIN = 6  # the code list may always take this many lines
RESERVED_LINES = 14  # rule, question, segment, saved answer, keys, status line and prompt at 80x24


def code(
    coder: Annotated[
        str, typer.Option("--coder", "-c", metavar="NAME", help="Your coder name, e.g. reviewer1.")
    ],
    document: Annotated[
        str | None,
        typer.Option("--document", "-d", metavar="DOC", help="Only this transcript's segments, e.g. P07."),
    ] = None,
    theme: Annotated[
        str | None,
        typer.Option("--theme", "-t", metavar="THEME", help="Show only this theme's codes, e.g. barriers."),
    ] = None,
    uncoded: Annotated[
        bool,
        typer.Option(
            "--uncoded/--all",
            metavar="",
            help="--uncoded (default) shows only segments you have not coded; --all revisits every one.",
        ),
    ] = True,
    review: Annotated[
        bool,
        typer.Option(
            "--review",
            metavar="",
            help="Walk your coded segments whose words were edited since (see slqual status): "
            "Enter confirms the saved codes, or give new ones.",
        ),
    ] = False,
    suggest: Annotated[
        str | None,
        typer.Option(
            "--suggest",
            metavar="NAME",
            help="Pre-select this pseudo-coder's codes (e.g. model): Enter accepts, typing codes replaces.",
        ),
    ] = None,
    project_dir: ProjectOption = None,
) -> None:
    """Code participant segments one at a time; every answer is saved the moment you give it.

    Answer with code numbers or ids, comma or space separated; 0 or - when no code
    applies; ?N shows what code N means; m adds a memo; e marks an exemplar quote;
    q 2-3 quotes the segment's sentences 2 to 3 (q - clears it); b goes back; s skips for now; q quits.

    Run it again to carry on where you stopped.

    Example: slqual code --coder reviewer1 --document P07
    """
    from slqual.coding.session import coding_session

    project = get_project(project_dir)
    with coding_session(
        project,
        coder,
        document=document,
        theme=theme,
        revisit=not uncoded,
        review=review,
        suggest=suggest,
    ) as (
        session,
        note,
    ):
        if note:
            warn(note)
        _setup_completion(session)
        with _hangup_ends_cleanly():
            _run(session)


@contextlib.contextmanager
def _hangup_ends_cleanly() -> Iterator[None]:
    """A closed terminal (SIGHUP) or a plain kill (SIGTERM) ends the session like Ctrl-C."""

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    previous = {}
    for name in ("SIGHUP", "SIGTERM"):
        number = getattr(signal, name, None)
        if number is not None:
            try:
                previous[number] = signal.signal(number, interrupt)
            except ValueError:  # not the main thread
                pass
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


def _run(session: CodingSession) -> None:
    refresh, last = True, session.index
    try:
        while True:
            if refresh or session.index != last:
                screen = session.screen()
                if screen is None:
                    _render_done(session)
                else:
                    _render_screen(session, screen)
                refresh, last = False, session.index
            line = _read_line(PROMPT if session.mode == "code" else "memo> ")
            if line is None:  # end of input, e.g. a closed pipe or Ctrl-D
                info(f"End of input. {session.answered} answer(s) saved in this session.")
                return
            reply = session.handle(line)
            _render_reply(reply)
            if reply.kind == "quit":
                return
            refresh = reply.kind in ("memo", "exemplar", "quote")
    except KeyboardInterrupt:
        stdout.print()
        saved = session.answered
        info(f"Interrupted. {saved} answer(s) saved in this session; run the command again to go on.")


def _read_line(prompt: str) -> str | None:
    if sys.stdin.isatty():
        try:
            return input(prompt)
        except EOFError:
            return None
    stdout.print(prompt, end="")
    line = sys.stdin.readline()
    if line == "":
        stdout.print()
        return None
    return line.rstrip("\r\n")


def _setup_completion(session: CodingSession) -> None:
    """Tab completion of code ids where the terminal allows it."""
    if not sys.stdin.isatty():
        return
    try:
        import readline
    except ImportError:  # e.g. Windows without pyreadline
        return
    words = sorted(session.completions())

    def complete(text: str, state: int) -> str | None:
        matches = [w for w in words if w.startswith(text)]
        return matches[state] if state < len(matches) else None

    readline.set_completer(complete)
    readline.set_completer_delims(" ,;")
    readline.parse_and_bind("tab: complete")


def _render_screen(session: CodingSession, screen: Screen) -> None:
    """The segment, its context and the codes, with the header repeated as the last line above the prompt.

    At 80x24 a long segment or a long code list can push the top rule off the
    screen, so the status line (document, participant, speaker, segment,
    progress) is printed last, where it always stays in view.
    """
    segment = screen.segment
    width = min(stdout.width, 100)
    group = f" ({escape(segment.group)})" if segment.group else ""
    speaker = f" · {escape(segment.speaker)}" if segment.speaker else ""
    stdout.print()
    stdout.print(
        Rule(
            f"[bold]{escape(segment.document)}[/bold] · "
            f"participant {escape(segment.participant_id or '?')}{group}"
            f" · {escape(segment.segment_id)}{speaker}",
            align="left",
        )
    )
    if segment.question:
        question = Text(f"Q: {segment.question}", style="dim")
        stdout.print(_clip(question, width, QUESTION_LINES))
    stdout.print(_segment_text(segment.speaker, screen.sentences, segment.text))
    if screen.review_old:
        stdout.print(Text(f"Coded when it read: {screen.review_old}", style="yellow"))
        stdout.print(
            Text("Words edited since: Enter keeps the saved codes, or give new ones.", style="yellow")
        )
    if screen.suggested:
        stdout.print(
            Text(
                f"Suggested: {', '.join(screen.suggested)} (Enter accepts; type codes to replace)",
                style="cyan",
            )
        )
    if screen.saved is not None:
        said = ", ".join(screen.saved.codes) if screen.saved.codes else "no code applies"
        stdout.print(Text(f"Saved answer: {said}", style="green"))
    marks = []
    if screen.memo:
        marks.append(f"memo: {screen.memo}")
    if screen.exemplar:
        marks.append("★ exemplar quote")
    if screen.quote:
        marks.append(f"quote: “{screen.quote}”")
    if marks:
        stdout.print(_clip(Text(" · ".join(marks), style="magenta"), width, 2))
    _render_codes(session.entries, width, max(CODE_LINES_MIN, stdout.height - RESERVED_LINES))
    stdout.print(Text(KEYS, style="dim"), width=width, no_wrap=True, overflow="ellipsis")
    who = f"{segment.participant_id or '?'}{f' ({segment.group})' if segment.group else ''}"
    status = Text(
        f"{segment.document} · {who}{f' · {segment.speaker}' if segment.speaker else ''} · "
        f"{segment.segment_id} · "
        f"Segment {screen.position} of {screen.total} · {screen.coded} coded ({screen.percent:.0f}%)",
        style="bold cyan",
    )
    status.truncate(width - 1, overflow="ellipsis")
    stdout.print(status, width=width, no_wrap=True)


def _clip(text: Text, width: int, lines: int) -> Text:
    """At most ``lines`` lines of ``width``: a long question must not push the segment off screen."""
    limit = max(width - 1, 10) * lines
    if len(text.plain) > limit:
        text.truncate(limit, overflow="ellipsis")
    return text


def _segment_text(speaker: str, sentences: tuple[str, ...], text: str) -> Text:
    """The segment's words after its speaker; numbered [1] [2] ... when it has several sentences (q N-M)."""
    shown = Text()
    if speaker:
        shown.append(f"{speaker}: ", style="cyan")
    if len(sentences) <= 1:
        shown.append(text, style="bold")
        return shown
    for number, sentence in enumerate(sentences, start=1):
        shown.append(f"[{number}]", style="dim cyan")
        shown.append(" ")
        shown.append(sentence, style="bold")
        shown.append(" ")
    shown.rstrip()
    return shown


def _render_codes(entries: list[CodeEntry], width: int, budget: int) -> None:
    """Themes with their codes in columns below; or, when that would not fit, every code in columns."""
    if _tree_lines(entries, width) <= budget:
        _render_tree(entries, width)
        return
    cells = []
    for entry in entries:
        label = Text(f"{entry.number:>2} ", style="bold" if entry.depth == 0 else "")
        label.append(entry.id if entry.depth == 0 else "  " * max(entry.depth - 1, 0) + entry.label)
        if entry.depth == 0:
            label.stylize("bold")
        cells.append(label)
    cell = min(max(len(t.plain) for t in cells), width // 2 - 2)
    for text in cells:
        text.truncate(cell, overflow="ellipsis")
    stdout.print(Columns(cells, width=cell, padding=(0, 2), column_first=True), width=width)


def _tree_lines(entries: list[CodeEntry], width: int) -> int:
    lines, children = 0, []
    for entry in [*entries, None]:
        if entry is None or entry.depth == 0:
            if children:
                cell = max(children) + 2
                per_line = max(1, (width + 2) // cell)
                lines += -(-len(children) // per_line)
                children = []
            lines += entry is not None
        else:
            children.append(3 + 2 * (entry.depth - 1) + len(entry.label))
    return lines


def _render_tree(entries: list[CodeEntry], width: int) -> None:
    children: list[Text] = []

    def flush() -> None:
        if children:
            cell = max(len(t.plain) for t in children)
            stdout.print(Columns(list(children), width=cell, padding=(0, 2)), width=width)
            children.clear()

    for entry in entries:
        if entry.depth == 0:
            flush()
            line = Text(f"{entry.number:>2} ", style="bold")
            line.append(entry.id, style="bold")
            line.append(f"  {entry.name}", style="dim")
            line.truncate(width - 1, overflow="ellipsis")
            stdout.print(line, width=width, no_wrap=True)
        else:
            label = Text(f"{entry.number:>2} ")
            label.append("  " * (entry.depth - 1) + entry.label)
            children.append(label)
    flush()


def _render_done(session: CodingSession) -> None:
    stdout.print()
    coded = session.coded_in_scope()
    total = len(session.segments)
    stdout.print(
        f"[green]No more segments to show here:[/green] {coded} of {total} coded. "
        "Enter or q finishes; b goes back to change the last answer."
    )


def _render_reply(reply: Reply) -> None:
    if reply.kind == "error":
        stdout.print(f"[red]{escape(reply.message)}[/red]")
    elif reply.kind == "code_help" and reply.code is not None:
        node = reply.code
        stdout.print(f"[bold]{escape(node.id)}[/bold] — {escape(node.name)}")
        for label, value in (
            ("Definition", node.definition),
            ("Include", node.include),
            ("Exclude", node.exclude),
        ):
            if value:
                stdout.print(
                    Padding(Text.assemble((f"{label}: ", "cyan"), value), (0, 0, 0, 2), expand=False)
                )
        for example in node.examples:
            stdout.print(
                Padding(Text.assemble(("Example: ", "cyan"), (example, "italic")), (0, 0, 0, 2), expand=False)
            )
    elif reply.kind in ("saved", "confirmed", "quote"):
        stdout.print(f"[green]{escape(reply.message)}[/green]")
    elif reply.kind != "quit" or reply.message:
        stdout.print(escape(reply.message))


def register(app: typer.Typer) -> None:
    app.command("code")(code)
