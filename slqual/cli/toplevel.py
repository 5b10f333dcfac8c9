"""What ``slqual --help`` lists, and the drawing of that page without loading any command.

The top-level help is the command people run most and first; building every command's
options with typer and drawing them with typer's Markdown renderer cost a third of a second
before anything was printed. Here the list of commands is a table (a test checks each summary
against the command's own help, so the two cannot drift), drawn with rich alone.
"""

from __future__ import annotations

from typing import NamedTuple


class Command(NamedTuple):
    name: str
    module: str  # slqual.cli.<module> registers it
    stage: str  # the panel it is listed under
    summary: str  # the first paragraph of its help


COMMANDS: tuple[Command, ...] = (
    Command(
        "init",
        "init",
        "Set up",
        "Create a project folder: settings, codebook, participants file, transcripts/ and codings/.",
    ),
    Command(
        "ingest",
        "ingest",
        "Set up",
        "Read a folder of transcripts (.txt, .md, .docx, .odt, .vtt, .srt) into numbered segments.",
    ),
    Command("codebook", "codebook", "Set up", "Check, show, export, import, rename and merge codes."),
    Command(
        "code",
        "code",
        "Code",
        "Code participant segments one at a time; every answer is saved the moment you give it.",
    ),
    Command(
        "sheet",
        "sheet",
        "Code",
        "Code in a spreadsheet: export a coder's sheet, fill it in (or email it), import it back.",
    ),
    Command(
        "autocode",
        "autocode",
        "Code",
        "Pre-code segments by the codebook's keywords (words, phrases, re: patterns) as the coder 'auto'.",
    ),
    Command(
        "status",
        "status",
        "Code",
        "Show each coder's progress: segments coded, per theme, last activity, and gaps between coders.",
    ),
    Command(
        "orphans",
        "orphans",
        "Code",
        "Coding rows whose words left a corrected transcript (codings/orphaned/): "
        "list them, attach them back.",
    ),
    Command(
        "agree",
        "agree",
        "Agree and reconcile",
        "Inter-rater agreement per code and overall: kappa, alpha, AC1, intervals, disagreements.",
    ),
    Command(
        "reconcile",
        "reconcile",
        "Agree and reconcile",
        "Build the consensus coding from the coders' files and the team's recorded decisions.",
    ),
    Command(
        "redact",
        "redact",
        "Report",
        "Names and places in redact.csv, replaced in everything that leaves the project.",
    ),
    Command(
        "report",
        "report",
        "Report",
        "Write the results tables and figures: quotes by theme and group, prevalence, overview.",
    ),
    Command(
        "show",
        "show",
        "Explore",
        "Show every segment coded with a code (or any code under a theme), "
        "grouped by a participant attribute.",
    ),
    Command(
        "search",
        "search",
        "Explore",
        "Rank participant segments by similarity (TF-IDF cosine) to a phrase or to a segment.",
    ),
    Command(
        "suggest",
        "suggest",
        "Explore",
        "Suggest codes from a model trained on your own coding (offline), as the pseudo-coder 'model'.",
    ),
    Command("export", "exchange", "Other programs", "Write the whole project for another program."),
    Command(
        "import", "exchange", "Other programs", "Make a new project from another program's project file."
    ),
)

BY_NAME = {command.name: command for command in COMMANDS}

HELP = (
    "Thematic analysis of interview studies from the terminal: init, ingest, code, agree, reconcile, report."
)
EXAMPLE = "Example: slqual init study && cd study && slqual ingest transcripts/"
OPTIONS = (
    ("--version", "", "Show the version and exit."),
    ("--debug", "", "Show full tracebacks for errors."),
    ("--help", "-h", "Show this message and exit."),
)


def print_top_help(file=None) -> None:
    """Draw the top-level help: usage, what slqual is, its options, its commands by stage."""
    from rich.console import Console, Group
    from rich.padding import Padding
    from rich.panel import Panel
    from rich.table import Table
    from rich.text import Text

    console = Console(file=file, highlight=False)
    width = max(len(command.name) for command in COMMANDS) + 1

    def panel(title: str, rows) -> Panel:
        table = Table.grid(padding=(0, 1))
        table.add_column(min_width=width)  # the same first column in every panel
        for _ in range(len(rows[0]) - 1):
            table.add_column()
        for row in rows:
            table.add_row(*row)
        return Panel(table, title=title, title_align="left", border_style="dim")

    usage = Text.assemble(("Usage: ", "yellow"), ("slqual", "bold"), " [OPTIONS] COMMAND [ARGS]...")
    parts = [Padding(usage, (1, 1, 0, 1)), Padding(Text(f"{HELP}\n\n{EXAMPLE}"), (1, 1))]
    options = [(Text(f"{long} {short}".strip(), "bold cyan"), text) for long, short, text in OPTIONS]
    parts.append(panel("Options", options))
    stages: dict[str, list] = {}
    for command in COMMANDS:
        stages.setdefault(command.stage, []).append((Text(command.name, "bold cyan"), command.summary))
    parts.extend(panel(stage, rows) for stage, rows in stages.items())
    more = Text("Run 'slqual COMMAND --help' for a command's options and an example.", "dim")
    parts.append(Padding(more, (0, 1)))
    console.print(Group(*parts))
