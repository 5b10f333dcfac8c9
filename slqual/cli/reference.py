"""The command reference (docs/commands.md), generated from the commands themselves.

A test compares the page with what this module writes, so the reference can
never drift from the CLI; ``make docs`` rewrites it after a change.
"""

from __future__ import annotations

import re

import typer

from slqual.cli.app import all_commands
from slqual.cli.helpfmt import shown_metavar

HEADER = """# Command reference

Every command and option, generated from slqual itself (`make docs` rewrites this page; a test checks
it). `slqual COMMAND --help` prints the same in the terminal. Every command also takes `--help` (`-h`),
and `slqual --debug COMMAND ...` shows the full traceback of an error.
"""


TABLE_HEAD = "| argument or option | default | meaning |\n|---|---|---|\n"


def _commands(group, prefix: list[str]):
    for name, command in getattr(group, "commands", {}).items():
        path = [*prefix, name]
        yield path, command
        yield from _commands(command, path)


def _cell(text: str) -> str:
    return " ".join(str(text).split()).replace("|", "\\|")


def _choices(param) -> list[str]:
    """The values of an enum option (typer keeps them in the parameter's type descriptor)."""
    descriptor = getattr(param, "type_descriptor", None)
    choices = getattr(descriptor, "choices", None) or getattr(getattr(param, "type", None), "choices", None)
    return [str(getattr(c, "value", c)) for c in choices or ()]


def _option_row(param) -> str | None:
    if param.name in ("help",):
        return None
    if isinstance(param, typer.core.TyperArgument):
        name = f"`{(param.metavar or param.name).upper()}`"
        if getattr(param, "nargs", 1) == -1:
            name += " ..."
    else:
        secondary = getattr(param, "secondary_opts", []) or []
        name = ", ".join(f"`{o}`" for o in [*param.opts, *secondary])
        # What --help shows beside the option (slqual.cli.helpfmt); the choices are listed below instead.
        metavar = "" if _choices(param) else (shown_metavar(param) or "")
        if metavar:
            name += f" {metavar}"
    default = param.default
    shown = getattr(param, "show_default", None)
    if isinstance(shown, str):
        default_text = shown
    elif default in (None, False, (), []) or getattr(param, "is_flag", False):
        default_text = ""
    else:
        default_text = str(getattr(default, "value", default))
    choices = _choices(param)
    help_text = _cell(param.help or "")
    if choices:
        help_text += f" One of: {', '.join(choices)}."
    return f"| {name} | {_cell(default_text)} | {help_text} |"


def _help_paragraphs(text: str) -> str:
    text = (text or "").strip()
    text = re.sub(r"^(Example: )(slqual .*)$", r"\1`\2`", text, flags=re.M)
    return text


def command_reference() -> str:
    """The Markdown of docs/commands.md."""
    root = all_commands()
    parts = [HEADER]
    for path, command in _commands(root, []):
        title = "slqual " + " ".join(path)
        parts.append(f"## `{title}`\n")
        parts.append(_help_paragraphs(command.help) + "\n")
        if getattr(command, "commands", None):
            subs = ", ".join(f"`{title} {name}`" for name in command.commands)
            parts.append(f"Commands: {subs}.\n")
            continue
        rows = [row for p in command.params if (row := _option_row(p))]
        if rows:
            parts.append(
                "| argument or option | default | meaning |\n|---|---|---|\n" + "\n".join(rows) + "\n"
            )
    return "\n".join(parts).rstrip() + "\n"


if __name__ == "__main__":  # pragma: no cover - `make docs`
    import sys

    sys.stdout.write(command_reference())
