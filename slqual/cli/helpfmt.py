"""What ``--help`` shows beside an option: a name for its value, never a Python type.

typer prints a type beside every parameter (``-h <bool>``, ``--into <str>``, ``coders <list[str]>``),
which reads as noise to a researcher. Here flags show nothing, options show their metavar (or a
name: FILE, DIR, N, or the option's own name in capitals), options with a few fixed values list
them (``<stop|keep|drop>``), and arguments show only their name.
"""

from __future__ import annotations

from typing import Any

from typer.core import TyperArgument, TyperOption

_PLAIN = {"<path>": "FILE", "<file>": "FILE", "<dir>": "DIR", "<int>": "N", "<float>": "NUMBER"}


class _Option(TyperOption):
    def display_type_rich(self, ctx: Any) -> str | None:
        if self.is_flag or self.count:
            return None
        if self.metavar is not None:
            return self.metavar
        shown = self.display_type(ctx)
        if "|" in shown:  # the choices of an enum
            return shown
        return _PLAIN.get(shown, (self.name or "value").upper())


class _Argument(TyperArgument):
    def display_type_rich(self, ctx: Any) -> str | None:
        return None  # the argument's name already says what to give


def plain_help(command: Any) -> None:
    """Apply the rules above to a command, its parameters, its help option and its subcommands."""
    for param in command.params:
        if type(param) is TyperOption:
            param.__class__ = _Option
        elif type(param) is TyperArgument:
            param.__class__ = _Argument
    find_help = command.get_help_option

    def get_help_option(ctx: Any) -> Any:
        option = find_help(ctx)
        if option is not None and type(option) is TyperOption:
            option.__class__ = _Option
        return option

    command.get_help_option = get_help_option
    for sub in (getattr(command, "commands", None) or {}).values():
        plain_help(sub)
