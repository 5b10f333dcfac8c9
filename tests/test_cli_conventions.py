"""The conventions every command follows: exit codes, one-line errors, help with an example."""

from __future__ import annotations

import os
import re
import subprocess
import sys

from slqual import __version__
from slqual.cli.main import all_commands, app


def _all_commands():
    root = all_commands()

    def walk(group, prefix):
        for name, command in getattr(group, "commands", {}).items():
            path = [*prefix, name]
            if getattr(command, "commands", None):
                yield from walk(command, path)
            else:
                yield path, command

    return list(walk(root, []))


def test_version(runner):
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.output.strip() == f"slqual {__version__}"


def test_every_command_has_help_with_an_example(runner):
    commands = _all_commands()
    assert ["init"] in [path for path, _ in commands]
    for path, command in commands:
        assert command.help, f"slqual {' '.join(path)} has no help text"
        assert "Example: slqual" in command.help, f"slqual {' '.join(path)} has no example in its help"
        result = runner.invoke(app, [*path, "--help"])
        assert result.exit_code == 0, (path, result.output)


def test_a_command_outside_any_project_says_how_to_make_one(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    from slqual.cli.common import get_project
    from slqual.errors import ProjectError

    try:
        get_project(None)
    except ProjectError as exc:
        assert "slqual init DIR" in str(exc)
    else:  # pragma: no cover - the assertion is the point
        raise AssertionError("no error outside a project")


def test_bad_path_gives_exit_2_and_one_line_without_traceback(tmp_path):
    missing = tmp_path / "no" / "such.yaml"
    proc = subprocess.run(
        [sys.executable, "-m", "slqual", "init", str(tmp_path / "s"), "--codebook", str(missing)],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 2
    assert proc.stdout == ""
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert str(missing) in lines[0] and "not found" in lines[0]
    assert "Traceback" not in proc.stderr


def test_usage_error_exits_2(runner):
    result = runner.invoke(app, ["init"])
    assert result.exit_code == 2


def test_internal_error_exits_3_with_the_debug_hint(monkeypatch, tmp_path):
    import slqual.project

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(slqual.project, "init_project", broken)
    from typer.testing import CliRunner

    result = CliRunner().invoke(app, ["init", str(tmp_path / "s")])
    assert result.exit_code == 3
    assert "--debug" in result.output and "boom" in result.output


def test_help_does_not_import_heavy_libraries():
    code = (
        "import sys; from slqual.cli.main import app; "
        "heavy = [m for m in ('pandas', 'numpy', 'sklearn', 'matplotlib', 'docx', 'openpyxl', 'scipy') "
        "if m in sys.modules]; print(','.join(heavy))"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert proc.stdout.strip() == ""


def test_a_file_system_error_is_one_plain_line_with_exit_2(monkeypatch, tmp_path, runner):
    import slqual.project

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied", str(tmp_path / "s" / "slqual.yaml"))

    monkeypatch.setattr(slqual.project, "init_project", refuse)
    result = runner.invoke(app, ["init", str(tmp_path / "s")])
    assert result.exit_code == 2
    assert "slqual.yaml: Permission denied; check that there is space on the disk" in result.output
    assert "internal error" not in result.output


def _all_paths():
    root = all_commands()

    def walk(group, prefix):
        for name, command in getattr(group, "commands", {}).items():
            yield [*prefix, name]
            yield from walk(command, [*prefix, name])

    return [[], *walk(root, [])]


TYPE_NAME = re.compile(
    r"<(?:str|bool|int|float|path|file|dir|list\[[^\]]*\]|datetime|uuid)>"
    r"|\b(?:TEXT|BOOLEAN|INTEGER|FLOAT|PATH|FILENAME|DIRECTORY)\b"
)


def test_no_help_shows_a_type_name_beside_a_flag(runner):
    shown = []
    for path in _all_paths():
        result = runner.invoke(app, [*path, "--help"], env={"COLUMNS": "200"}, terminal_width=200)
        assert result.exit_code == 0, (path, result.output)
        shown += [
            f"slqual {' '.join(path)}: {line.strip()}"
            for line in result.output.splitlines()
            if TYPE_NAME.search(line) and re.search(r"(^|\s)-", line.strip("│ "))
        ]
    assert len(_all_paths()) > 15
    assert shown == []


def test_an_argument_shows_its_name_and_no_type(runner):
    result = runner.invoke(app, ["agree", "--help"], env={"COLUMNS": "200"}, terminal_width=200)
    line = next(line for line in result.output.splitlines() if "coders" in line and "Two or more" in line)
    assert not TYPE_NAME.search(line), line


def test_the_command_line_choices_are_the_library_values():
    from slqual.cli.reconcile import UndecidedChoice
    from slqual.cli.report import LevelChoice, PaperChoice
    from slqual.reconcile import Undecided
    from slqual.reports import Level
    from slqual.reports.model import Paper

    assert [c.value for c in UndecidedChoice] == [u.value for u in Undecided]
    assert sorted(c.value for c in LevelChoice) == sorted(lv.value for lv in Level)
    assert sorted(c.value for c in PaperChoice) == sorted(p.value for p in Paper)


def test_options_with_a_few_values_list_them_in_help(runner):
    for path, choices in ((["reconcile"], "<stop|keep|drop>"), (["report"], "<code|subtheme|theme>")):
        result = runner.invoke(app, [*path, "--help"], env={"COLUMNS": "200"}, terminal_width=200)
        assert choices in result.output, result.output
    for args, message in (
        (["reconcile", "r1", "r2", "--undecided", "maybe"], "'maybe' is not one of 'stop', 'keep', 'drop'"),
        (["report", "--level", "subcode"], "'subcode' is not one of 'code', 'subtheme', 'theme'"),
    ):
        result = runner.invoke(app, args, env={"COLUMNS": "200"}, terminal_width=200)
        assert result.exit_code == 2
        assert message in result.output


def test_top_level_help_lists_every_command_with_its_own_summary():
    """`slqual --help` is drawn from a table without loading commands; it must say what each command says."""
    from slqual.cli.toplevel import COMMANDS

    root = all_commands()
    assert [c.name for c in COMMANDS] == list(root.commands), "the table and the registered commands differ"
    for entry in COMMANDS:
        assert entry.summary == root.commands[entry.name].get_short_help_str(limit=1000), entry.name


def test_top_level_help_and_version_without_typer():
    """The entry point answers --help, no arguments and --version before importing typer or any command."""
    probe = (
        "import sys; from slqual.cli.main import run; sys.argv = ['slqual', *sys.argv[1:]]\n"
        "try:\n    run()\nexcept SystemExit as exc:\n    code = exc.code\nelse:\n    code = 0\n"
        "loaded = sorted(m for m in sys.modules if m == 'typer' or m.startswith('slqual.cli.') and "
        "m not in ('slqual.cli.main', 'slqual.cli.toplevel'))\n"
        "print('EXIT', code, 'LOADED', loaded)"
    )
    for args, code in (([], 2), (["--help"], 0), (["-h"], 0), (["--version"], 0)):
        out = subprocess.run(
            [sys.executable, "-c", probe, *args], capture_output=True, text=True, check=True
        ).stdout
        assert f"EXIT {code} LOADED []" in out, (args, out)
    shown = subprocess.run([sys.executable, "-m", "slqual", "--help"], capture_output=True, text=True).stdout
    for entry in ("init", "reconcile", "import", "Agree and reconcile", "Example: slqual init"):
        assert entry in shown


def test_commands_run_numpy_without_huge_pages_unless_the_user_chose(tmp_path):
    """Short-lived commands: numpy's 2 MB page advice is off by default; a value the user set is kept."""
    probe = (
        "import os, sys; from slqual.cli.main import run\n"
        "sys.argv = ['slqual', 'status', '-p', sys.argv[1]]\n"
        "try:\n    run()\nexcept SystemExit:\n    pass\n"
        "print('ADVICE', os.environ.get('NUMPY_MADVISE_HUGEPAGE'))"
    )
    env = {k: v for k, v in os.environ.items() if k != "NUMPY_MADVISE_HUGEPAGE"}
    for chosen, expected in ((None, "0"), ("1", "1")):
        if chosen:
            env["NUMPY_MADVISE_HUGEPAGE"] = chosen
        out = subprocess.run(
            [sys.executable, "-c", probe, str(tmp_path)], capture_output=True, text=True, env=env
        ).stdout
        assert f"ADVICE {expected}" in out


def test_commands_let_glibc_reuse_large_freed_blocks(monkeypatch):
    import ctypes

    from slqual.cli import main

    calls = []

    class FakeLibc:
        def mallopt(self, parameter, value):
            calls.append((parameter, value))
            return 1

    monkeypatch.setattr(ctypes, "CDLL", lambda name: FakeLibc())
    monkeypatch.setattr(sys, "platform", "linux")
    for key in [k for k in os.environ if k.startswith("MALLOC_")]:
        monkeypatch.delenv(key)
    main.reuse_freed_memory()
    assert calls == [(main.M_MMAP_THRESHOLD, 1 << 30), (main.M_TRIM_THRESHOLD, (1 << 31) - 1)]
    calls.clear()
    monkeypatch.setenv("MALLOC_ARENA_MAX", "2")  # the user tuned malloc: their settings stand
    main.reuse_freed_memory()
    assert calls == []
