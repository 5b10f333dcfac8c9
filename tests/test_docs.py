"""README and docs/ stay true: commands exist, imports work, links resolve, the reference is current."""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import pytest
from conftest import REPO

from slqual.cli.main import all_commands

README = (REPO / "README.md").read_text(encoding="utf-8")
PAGES = sorted((REPO / "docs").glob("*.md"))
ALL_DOCS = [REPO / "README.md", *PAGES]
README_MAX_LINES = 400


def _text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def _python_blocks(text: str) -> list[str]:
    return re.findall(r"```python\n(.*?)```", text, flags=re.S)


def _anchors(text: str) -> set[str]:
    """GitHub's anchors for the headings of a Markdown page."""
    anchors = set()
    fence = False
    for line in text.splitlines():
        if line.startswith("```"):
            fence = not fence
        if fence or not re.match(r"#{1,6} ", line):
            continue
        title = line.lstrip("#").strip().lower()
        title = re.sub(r"[^\w\- ]", "", title)
        anchors.add(title.replace(" ", "-"))
    return anchors


def test_quick_start_is_the_two_commands():
    quick = README.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    block = re.search(r"```\n(.*?)```", quick, flags=re.S).group(1)
    assert block.split() == ["make", "demo", "make", "test"]


def test_the_readme_reads_in_ten_minutes():
    assert len(README.splitlines()) < README_MAX_LINES


@pytest.mark.parametrize("path", ALL_DOCS, ids=lambda p: p.name)
def test_every_relative_link_resolves(path):
    text = _text(path)
    for target in re.findall(r"\]\(([^)\s]+)\)", text):
        if re.match(r"[a-z]+:", target):
            continue  # an address outside the project
        file_part, _, anchor = target.partition("#")
        linked = (path.parent / file_part).resolve() if file_part else path
        assert linked.exists(), f"{path.name}: link to {target} goes nowhere"
        if anchor and linked.suffix == ".md":
            assert anchor in _anchors(_text(linked)), f"{path.name}: no heading '{anchor}' in {linked.name}"


@pytest.mark.parametrize("path", ALL_DOCS, ids=lambda p: p.name)
def test_every_import_in_the_docs_works(path):
    lines = [
        line.split("#")[0].strip() for block in _python_blocks(_text(path)) for line in block.splitlines()
    ]
    for line in (line for line in lines if line.startswith("from slqual")):
        module, names = re.match(r"from (\S+) import (.+)", line).groups()
        loaded = importlib.import_module(module)
        for name in (n.strip() for n in names.split(",")):
            assert hasattr(loaded, name), f"{path.name} imports {name} from {module}, which has no such name"


def test_the_command_reference_is_generated_from_the_cli():
    from slqual.cli.reference import command_reference

    page = _text(REPO / "docs" / "commands.md")
    assert page == command_reference(), "docs/commands.md is out of date: run 'make docs'"


def test_every_command_is_in_the_guides():
    """Each command appears in the README or a guide page, not only in the generated reference."""
    guides = "\n".join(_text(p) for p in ALL_DOCS if p.name != "commands.md")
    root = all_commands()
    for name, command in root.commands.items():
        assert f"slqual {name}" in guides, f"slqual {name} is not in the README or docs/"
        for sub in getattr(command, "commands", {}):
            assert f"slqual {name} {sub}" in guides, f"slqual {name} {sub} is not in the README or docs/"


def test_exit_codes_are_documented():
    section = README.split("## Exit codes", 1)[1].split("\n## ", 1)[0]
    for code in ("| 0 |", "| 1 |", "| 2 |", "| 3 |"):
        assert code in section


def _prepared_study(folder: Path) -> None:
    """'my-study' as the Python examples expect it: the example study's transcripts and codings."""
    import shutil

    from conftest import EXAMPLE_STUDY

    from slqual.project import init_project

    project = init_project(folder / "my-study")
    for name in ("slqual.yaml", "participants.csv", "redact.csv"):
        shutil.copy(EXAMPLE_STUDY / name, project.root / name)
    for path in (EXAMPLE_STUDY / "transcripts").iterdir():
        shutil.copy(path, project.transcripts_dir / path.name)
    for path in (EXAMPLE_STUDY / "codings").glob("*.csv"):
        shutil.copy(path, project.codings_dir / path.name)
    from slqual.ingest import ingest

    ingest(project)


RUNNABLE = [
    p
    for p in ALL_DOCS
    if p.name in ("README.md", "python-api.md", "agreement.md", "codebook.md", "ingest.md")
]


@pytest.mark.parametrize("path", RUNNABLE, ids=lambda p: p.name)
def test_every_python_example_in_the_docs_runs(path, tmp_path, monkeypatch, capsys):
    _prepared_study(tmp_path)
    monkeypatch.chdir(tmp_path)
    namespace = {"__name__": "__docs__"}  # a page's examples run in order, as in one notebook
    for block in _python_blocks(_text(path)):
        exec(compile(block, f"{path.name} example", "exec"), namespace)  # noqa: S102
