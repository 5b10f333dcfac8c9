"""The ``slqual`` typer application: global options, error handling, commands loaded when named.

Exit codes: 0 success; 1 a check ran and found problems; 2 the command could
not run (usage, missing or unreadable input, invalid data); 3 an internal
error (a bug), with the hint to rerun with ``--debug``.
"""

from __future__ import annotations

import importlib
import os
import sys

import typer
from typer.core import TyperGroup

from slqual import __version__
from slqual.cli.common import error
from slqual.cli.helpfmt import plain_help
from slqual.cli.toplevel import BY_NAME, COMMANDS, print_top_help
from slqual.errors import EXIT_INTERNAL, EXIT_OK, EXIT_USAGE, SlqualError


class _State:
    debug = False


state = _State()


class SlqualGroup(TyperGroup):
    """Turns library errors into one red line and the documented exit codes."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        plain_help(self)  # no `-h <bool>` or `--into <str>` in any --help

    def list_commands(self, ctx: typer.Context) -> list[str]:
        return [command.name for command in COMMANDS]  # the workflow order, not alphabetical

    def get_command(self, ctx: typer.Context, name: str):
        # Only the named command's module is imported and built: a command's fixed cost stays low.
        if name not in self.commands and name in BY_NAME:
            self.commands.update(_load(BY_NAME[name].module))
        return self.commands.get(name)

    def format_help(self, ctx: typer.Context, formatter) -> None:
        print_top_help()

    def invoke(self, ctx: typer.Context):
        try:
            return super().invoke(ctx)
        except SlqualError as exc:
            if state.debug:
                raise
            error(str(exc))
            raise typer.Exit(exc.exit_code) from None
        except (typer.Exit, typer.Abort, typer.TyperException):  # usage errors and exits
            raise
        except KeyboardInterrupt:
            raise typer.Abort() from None
        except BrokenPipeError:  # output piped into `head` or a closed pager: stop quietly
            _silence_stdout()
            raise typer.Exit(EXIT_OK) from None
        except OSError as exc:  # the disk, not slqual: a full disk, a read-only folder, a file locked open
            if state.debug:
                raise
            error(_file_system_message(exc))
            raise typer.Exit(EXIT_USAGE) from None
        except Exception as exc:  # a bug: say so plainly, keep the traceback behind --debug
            if state.debug:
                raise
            error(f"internal error ({type(exc).__name__}: {exc}); rerun with --debug and report it")
            raise typer.Exit(EXIT_INTERNAL) from None


app = typer.Typer(
    name="slqual",
    cls=SlqualGroup,
    help=(
        "Thematic analysis of interview studies from the terminal: "
        "init, ingest, code, agree, reconcile, report.\n\n"
        "Example: slqual init study && cd study && slqual ingest transcripts/"
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode="markdown",
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"slqual {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, metavar="", help="Show the version and exit."
    ),
    debug: bool = typer.Option(False, "--debug", metavar="", help="Show full tracebacks for errors."),
) -> None:
    """Thematic analysis of interview studies from the terminal."""
    state.debug = debug


def _load(module: str) -> dict:
    """The click commands that ``slqual.cli.<module>`` registers, built as typer builds them."""
    holder = typer.Typer(rich_markup_mode="markdown", add_completion=False, pretty_exceptions_enable=False)
    holder.callback()(lambda: None)  # a callback makes typer build a group even for one command
    importlib.import_module(f"slqual.cli.{module}").register(holder)
    commands = typer.main.get_group(holder).commands
    for command in commands.values():
        plain_help(command)
    return commands


def all_commands() -> typer.core.TyperGroup:
    """The root command with every command loaded: for the command reference and its tests."""
    root = typer.main.get_command(app)
    for command in COMMANDS:
        root.get_command(None, command.name)
    return root


def _file_system_message(exc: OSError) -> str:
    where = f"{exc.filename}: " if exc.filename else ""
    if isinstance(exc, FileNotFoundError):
        return f"{where}not found; check the name and the folder"
    return (
        f"{where}{exc.strerror or exc}; check that there is space on the disk, that you may write "
        "to the folder, and that the file is not open in another program"
    )


def _silence_stdout() -> None:
    # Python would report the broken pipe again when it flushes stdout at exit.
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
