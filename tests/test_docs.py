"""The README stays true: its commands exist, its Python imports work, every command is documented."""

from __future__ import annotations

import importlib
import re

import typer
from conftest import REPO

from slqual.cli.main import app

README = (REPO / "README.md").read_text(encoding="utf-8")


def _python_blocks() -> list[str]:
    return re.findall(r"```python\n(.*?)```", README, flags=re.S)


def test_quick_start_is_the_two_commands():
    quick = README.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    block = re.search(r"```\n(.*?)```", quick, flags=re.S).group(1)
    assert block.split() == ["make", "demo", "make", "test"]


def test_every_import_in_the_readme_works():
    imports = [line.split("#")[0].strip() for block in _python_blocks() for line in block.splitlines()]
    imports = [line for line in imports if line.startswith("from slqual")]
    assert imports, "the README shows the Python API"
    for line in imports:
        module, names = re.match(r"from (\S+) import (.+)", line).groups()
        loaded = importlib.import_module(module)
        for name in (n.strip() for n in names.split(",")):
            assert hasattr(loaded, name), f"README imports {name} from {module}, which has no such name"


def test_every_command_is_documented_in_the_readme():
    root = typer.main.get_command(app)
    for name, command in root.commands.items():
        assert f"slqual {name}" in README, f"slqual {name} is not in the README"
        for sub in getattr(command, "commands", {}):
            assert f"slqual {name} {sub}" in README, f"slqual {name} {sub} is not in the README"


def test_exit_codes_are_documented():
    section = README.split("## Exit codes", 1)[1].split("\n## ", 1)[0]
    for code in ("| 0 |", "| 1 |", "| 2 |", "| 3 |"):
        assert code in section
