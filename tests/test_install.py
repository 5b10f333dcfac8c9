"""The package installs anywhere: a wheel built from this tree carries what `slqual init` needs.

The wheel is built without network access (``--no-build-isolation``, with the setuptools of the
test extra), installed into a temporary folder and run from a folder outside the source tree.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SHIPPED = ("pyproject.toml", "README.md", "LICENSE", "slqual", "codebooks")


def _setuptools_version() -> tuple[int, ...] | None:
    try:
        from importlib.metadata import version

        return tuple(int(part) for part in version("setuptools").split(".")[:2])
    except Exception:  # not installed, or an unusual version string
        return None


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """A folder holding slqual installed from a freshly built wheel."""
    found = _setuptools_version()
    if found is None or found < (77,):
        pytest.skip(f"building the wheel offline needs setuptools>=77 (the test extra); found {found}")
    work = tmp_path_factory.mktemp("wheel")
    source = work / "source"
    source.mkdir()
    for name in SHIPPED:  # a copy, so the build leaves no build/ or egg-info in the checkout
        path = REPO / name
        if path.is_dir():
            shutil.copytree(path, source / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            shutil.copy2(path, source / name)
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "--no-input"]
    build = subprocess.run(
        [*pip, "wheel", str(source), "--no-deps", "--no-build-isolation", "-v", "-w", str(work / "dist")],
        capture_output=True,
        text=True,
    )
    output = build.stdout + build.stderr
    assert build.returncode == 0, output
    # No deprecation banner (a licence table, a licence classifier, a package left out of the list).
    assert re.findall(r"\w+Warning\b.*", output) == []
    (wheel,) = (work / "dist").glob("slqual-*.whl")
    target = work / "site"
    install = subprocess.run(
        [*pip, "install", "--no-deps", "--no-index", "--target", str(target), str(wheel)],
        capture_output=True,
        text=True,
    )
    assert install.returncode == 0, install.stdout + install.stderr
    return target


def _run_installed(installed: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(installed)}
    return subprocess.run([sys.executable, *args], cwd=cwd, env=env, capture_output=True, text=True)


def test_the_wheel_ships_the_codebooks_and_init_works_away_from_the_source(installed, tmp_path):
    away = tmp_path / "elsewhere"
    away.mkdir()
    where = _run_installed(installed, away, "-c", "import slqual; print(slqual.__file__)")
    assert Path(where.stdout.strip()).is_relative_to(installed), where.stdout + where.stderr
    assert sorted(p.name for p in (installed / "slqual" / "codebooks").glob("*.yaml")) == sorted(
        p.name for p in (REPO / "codebooks").glob("*.yaml")
    )
    for codebook in ("shared_leadership", "template"):
        proc = _run_installed(installed, away, "-m", "slqual", "init", codebook, "--codebook", codebook)
        assert proc.returncode == 0, proc.stdout + proc.stderr
        written = (away / codebook / "codebook.yaml").read_bytes()
        assert written == (REPO / "codebooks" / f"{codebook}.yaml").read_bytes()


def test_every_package_is_listed_for_the_wheel():
    # The packages are listed by hand in pyproject.toml (slqual.codebooks lives outside slqual/).
    tomllib = pytest.importorskip("tomllib")  # Python 3.11+
    listed = set(tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"])
    found = {".".join(p.parent.relative_to(REPO).parts) for p in (REPO / "slqual").rglob("__init__.py")}
    assert found <= listed, f"add {sorted(found - listed)} to [tool.setuptools] packages in pyproject.toml"
    assert {"slqual.codebooks", "slqual.interop.schemas"} <= listed  # folders of data files
