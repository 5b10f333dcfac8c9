"""What ``--help`` shows beside an option: a name for its value, never a Python type.

typer prints a type beside every parameter (``--into <str>``, ``--bootstrap <int range>``,
``coders <str>``), which reads as noise to a researcher. Here flags show nothing, options show their
metavar (or a name: FILE, DIR, N, or the option's own name in capitals), options with a few fixed
values list them (``<stop|keep|drop>``), and arguments show only their name.

typer 0.28 asks a parameter for its metavar (``make_metavar``) and an argument's type for its own
(``get_metavar``); these are the two places changed.
"""

from __future__ import annotations

import copy
from typing import Any

from typer.core import TyperArgument, TyperOption

_PLAIN = {"<path>": "FILE", "<file>": "FILE", "<dir>": "DIR", "<int>": "N", "<float>": "NUMBER"}


class _Option(TyperOption):
    def make_metavar(self, ctx: Any = None, **kwargs: Any) -> str:
        return shown_metavar(self, ctx) or ""


def shown_metavar(option: Any, ctx: Any = None) -> str | None:
    """What help shows beside an option (None for a flag)."""
    if option.is_flag or option.count:
        return None
    if option.metavar is not None:
        return option.metavar
    shown = TyperOption.make_metavar(option, ctx)
    if "|" in shown:  # the choices of an enum
        return shown
    return _PLAIN.get(shown, (option.name or "value").upper())


def _quiet_type(param_type: Any) -> Any:
    """A copy of an argument's type that converts the same way and names no type in help."""
    quiet = copy.copy(param_type)  # types such as STRING are shared: never change the original
    quiet.__class__ = type(
        f"Quiet{type(param_type).__name__}", (type(param_type),), {"get_metavar": _no_metavar}
    )
    return quiet


def _no_metavar(self: Any, param: Any, ctx: Any) -> str:
    return ""  # the argument's name already says what to give


def plain_help(command: Any) -> None:
    """Apply the rules above to a command, its parameters, its help option and its subcommands."""
    for param in command.params:
        if type(param) is TyperOption:
            param.__class__ = _Option
        elif type(param) is TyperArgument:
            param.type = _quiet_type(param.type)
    find_help = command.get_help_option

    def get_help_option(ctx: Any) -> Any:
        option = find_help(ctx)
        if option is not None and type(option) is TyperOption:
            option.__class__ = _Option
        return option

    command.get_help_option = get_help_option
    for sub in (getattr(command, "commands", None) or {}).values():
        plain_help(sub)
