"""The project folder: its settings, its paths, and how commands find it.

A project is a folder holding ``slqual.yaml``. Commands find it like git finds
a repository: an explicit ``--project`` folder, else the nearest
``slqual.yaml`` upward from the working directory.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

import yaml

from slqual.errors import CodingsError, ProjectError
from slqual.fileio import INTERNAL_DIR, atomic_write_bytes, atomic_write_text, utc_now_iso

SETTINGS_FILE = "slqual.yaml"
UNITS = ("turn", "paragraph", "sentence")
DEFAULT_INTERVIEWER = ("Interviewer", "Int", "I", "Q")


def _shipped_codebooks_dir() -> Path:
    """The shipped codebooks: ``slqual/codebooks`` in a wheel, else the checkout's ``codebooks/``."""
    from importlib.resources import files

    installed = Path(str(files("slqual") / "codebooks"))
    if installed.is_dir():
        return installed
    return Path(__file__).resolve().parent.parent / "codebooks"  # a source checkout (editable install)


CODEBOOKS_DIR = _shipped_codebooks_dir()
DEFAULT_CODEBOOK = "shared_leadership"
IMPORTED_CODEBOOKS = (".csv", ".qdc")  # what 'slqual codebook import' reads
PARTICIPANTS_HEADER = "participant_id,group,role"
PARTICIPANTS_EXAMPLE = "P01,clinical,GP"
# Coder names become file names in codings/: no path separators, no leading dot.
CODER_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")


def check_coder_name(name: str) -> str:
    """Coder names become file names: letters, digits, '-', '_' and '.' only."""
    if not CODER_NAME.match(name or ""):
        raise CodingsError(
            f"coder name '{name}' cannot be used; use letters, digits, '-', '_' or '.', e.g. reviewer1"
        )
    return name


DEFAULT_TIDY = (
    "um",
    "uh",
    "er",
    "erm",
    "you know",
    "I mean",
    "repeated words",
    "[laughs]",
    "(laughs)",
    "[inaudible ...]",
)


@dataclass(frozen=True)
class QuoteSettings:
    """The ``quotes:`` block of slqual.yaml: labels, small-cell warnings, clean verbatim."""

    label: str = "{participant_id}"  # e.g. "{group_initials}{n}" gives CM3, NCM5
    min_cell: int = 3  # attribute values held by fewer participants are warned about
    tidy: tuple[str, ...] = DEFAULT_TIDY  # fillers removed from quotes ([] keeps every word)

    def to_dict(self) -> dict[str, Any]:
        return {"label": self.label, "min_cell": self.min_cell, "tidy": list(self.tidy)}


QUOTE_KEYS = ("label", "min_cell", "tidy")


def _quote_settings(path: Path, value: Any) -> QuoteSettings:
    if value is None:
        return QuoteSettings()
    if not isinstance(value, dict):
        raise ProjectError(f"{path}: 'quotes' must be a mapping with {', '.join(QUOTE_KEYS)}")
    unknown = sorted(set(value) - set(QUOTE_KEYS))
    if unknown:
        raise ProjectError(f"{path}: unknown setting 'quotes.{unknown[0]}'; known: {', '.join(QUOTE_KEYS)}")
    defaults = QuoteSettings()
    label = value.get("label", defaults.label)
    if not isinstance(label, str) or not label.strip():
        raise ProjectError(f"{path}: 'quotes.label' must be a text pattern, e.g. \"{{group_initials}}{{n}}\"")
    min_cell = value.get("min_cell", defaults.min_cell)
    if isinstance(min_cell, bool) or not isinstance(min_cell, int) or min_cell < 1:
        raise ProjectError(f"{path}: 'quotes.min_cell' must be a whole number of 1 or more")
    tidy = value.get("tidy", list(defaults.tidy))
    if tidy is None:
        tidy = []
    if not isinstance(tidy, list) or not all(isinstance(x, str) and x.strip() for x in tidy):
        raise ProjectError(f"{path}: 'quotes.tidy' must be a list of fillers, e.g. [um, uh, you know]")
    return QuoteSettings(label=label, min_cell=min_cell, tidy=tuple(x.strip() for x in tidy))


@dataclass(frozen=True)
class Settings:
    """What ``slqual.yaml`` holds."""

    codebook: str = "codebook.yaml"
    participants: str = "participants.csv"
    group_by: str = "group"
    unit: str = "turn"
    interviewer: tuple[str, ...] = DEFAULT_INTERVIEWER
    # Spellings of one speaker mapped to one label, e.g. {"Interviewer 1": "Interviewer1"}.
    speakers: dict[str, str] = field(default_factory=dict)
    # Column headers for report tables, e.g. {"clinical": "Clinical managers"}.
    group_labels: dict[str, str] = field(default_factory=dict)
    quotes: QuoteSettings = field(default_factory=QuoteSettings)

    def to_yaml(self) -> str:
        data: dict[str, Any] = {
            "codebook": self.codebook,
            "participants": self.participants,
            "group_by": self.group_by,
            "unit": self.unit,
            "interviewer": list(self.interviewer),
        }
        if self.speakers:
            data["speakers"] = dict(self.speakers)
        if self.group_labels:
            data["group_labels"] = dict(self.group_labels)
        if self.quotes != QuoteSettings():
            data["quotes"] = self.quotes.to_dict()
        return yaml.safe_dump(data, sort_keys=False, allow_unicode=True)


KNOWN_SETTINGS = frozenset(f.name for f in fields(Settings))


@dataclass(frozen=True)
class Project:
    """A project folder and its settings."""

    root: Path
    settings: Settings

    @property
    def settings_path(self) -> Path:
        return self.root / SETTINGS_FILE

    @property
    def codebook_path(self) -> Path:
        return self.root / self.settings.codebook

    @property
    def participants_path(self) -> Path:
        return self.root / self.settings.participants

    @property
    def segments_path(self) -> Path:
        return self.root / "segments.csv"

    @property
    def transcripts_dir(self) -> Path:
        return self.root / "transcripts"

    @property
    def codings_dir(self) -> Path:
        return self.root / "codings"

    @property
    def reports_dir(self) -> Path:
        return self.root / "reports"

    @property
    def internal_dir(self) -> Path:
        return self.root / INTERNAL_DIR

    def coder_path(self, coder: str) -> Path:
        """The file of one coder's assignments: ``codings/<coder>.csv`` (the name is checked first)."""
        return self.codings_dir / f"{check_coder_name(coder)}.csv"

    def coder_file(self, name: str) -> Path:
        """The file of a coder listed by :meth:`coders` (a copied file may have any name)."""
        return self.codings_dir / f"{name}.csv"

    def coders(self) -> list[str]:
        """Names of the coders that have a file in ``codings/``, sorted."""
        if not self.codings_dir.is_dir():
            return []
        return sorted(p.stem for p in self.codings_dir.glob("*.csv") if not p.name.startswith("."))

    def audit(self, action: str, **details: Any) -> None:
        """Append one event to the project's audit log (``.slqual/audit.log``, JSON lines)."""
        self.internal_dir.mkdir(parents=True, exist_ok=True)
        event = {"time": utc_now_iso(), "action": action, **details}
        with open(self.internal_dir / "audit.log", "a", encoding="utf-8") as log:
            log.write(json.dumps(event, ensure_ascii=False) + "\n")


def load_settings(path: Path) -> Settings:
    """Read and check ``slqual.yaml``; every problem names the file and the key."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8-sig")) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f":{mark.line + 1}" if mark else ""
        raise ProjectError(f"{path}{where}: not valid YAML; fix the settings file") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise ProjectError(f"{path}: cannot be read ({exc}); check the file") from exc
    if not isinstance(data, dict):
        raise ProjectError(f"{path}: expected 'key: value' settings, found {type(data).__name__}")
    unknown = sorted(set(data) - KNOWN_SETTINGS)
    if unknown:
        raise ProjectError(
            f"{path}: unknown setting '{unknown[0]}'; known settings are {', '.join(sorted(KNOWN_SETTINGS))}"
        )
    defaults = Settings()
    unit = data.get("unit", defaults.unit)
    if unit not in UNITS:
        raise ProjectError(f"{path}: unit '{unit}' is not one of {', '.join(UNITS)}")
    interviewer = data.get("interviewer", list(defaults.interviewer))
    if isinstance(interviewer, str):
        interviewer = [interviewer]
    if not isinstance(interviewer, list) or not all(isinstance(x, str) for x in interviewer):
        raise ProjectError(f"{path}: 'interviewer' must be a list of speaker labels")
    for key in ("speakers", "group_labels"):
        value = data.get(key) or {}
        if not isinstance(value, dict):
            raise ProjectError(f"{path}: '{key}' must be a mapping of 'from: to' entries")
    for key in ("codebook", "participants", "group_by"):
        if key in data and not isinstance(data[key], str):
            raise ProjectError(f"{path}: '{key}' must be text")
    return Settings(
        codebook=data.get("codebook", defaults.codebook),
        participants=data.get("participants", defaults.participants),
        group_by=data.get("group_by", defaults.group_by),
        unit=unit,
        interviewer=tuple(interviewer),
        speakers={str(k): str(v) for k, v in (data.get("speakers") or {}).items()},
        group_labels={str(k): str(v) for k, v in (data.get("group_labels") or {}).items()},
        quotes=_quote_settings(path, data.get("quotes")),
    )


def open_project(root: Path | str) -> Project:
    """Open the project whose ``slqual.yaml`` is in ``root``."""
    root = Path(root).resolve()
    settings_path = root / SETTINGS_FILE
    if not settings_path.is_file():
        raise ProjectError(
            f"{root}: not a slqual project (no {SETTINGS_FILE}); create one with 'slqual init {root}'"
        )
    project = Project(root=root, settings=load_settings(settings_path))
    _tidy(project)
    return project


def _tidy(project: Project) -> None:
    """Remove what killed runs left behind: slqual's own temporary files, never anyone's work."""
    from slqual.fileio import remove_stale_temporaries

    internal = project.internal_dir
    for folder in (project.root, project.codings_dir, internal, internal / "locks", internal / "journal"):
        remove_stale_temporaries(folder)


def find_project(explicit: Path | str | None = None, start: Path | str | None = None) -> Project:
    """The project named by ``explicit``, else the nearest one upward from ``start`` (the cwd)."""
    if explicit is not None:
        return open_project(explicit)
    here = Path(start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / SETTINGS_FILE).is_file():
            return open_project(folder)
    raise ProjectError(
        f"no slqual project here ({here} or above); create one with 'slqual init DIR' "
        "or name one with --project DIR"
    )


def resolve_codebook_source(name_or_path: str | None) -> Path:
    """A shipped codebook by name (``shared_leadership``, ``template``) or a YAML file path."""
    name = name_or_path or DEFAULT_CODEBOOK
    candidate = Path(name).expanduser()
    if candidate.suffix.lower() in (".yaml", ".yml") or candidate.exists():
        if not candidate.is_file():
            raise ProjectError(f"{candidate}: codebook file not found; check the path")
        if candidate.suffix.lower() in IMPORTED_CODEBOOKS:
            raise ProjectError(
                f"{candidate}: a {candidate.suffix.lower()} codebook must be converted to slqual's YAML "
                f"first: 'slqual codebook import {candidate} -o codebook.yaml', "
                "then 'slqual init DIR --codebook codebook.yaml'"
            )
        return candidate
    shipped = CODEBOOKS_DIR / f"{name}.yaml"
    if shipped.is_file():
        return shipped
    available = sorted(p.stem for p in CODEBOOKS_DIR.glob("*.yaml")) if CODEBOOKS_DIR.is_dir() else []
    raise ProjectError(
        f"codebook '{name}' not found; give a path to a .yaml file or one of: "
        f"{', '.join(available) or 'none'}"
    )


def init_project(directory: Path | str, codebook: str | None = None) -> Project:
    """Create a project folder with settings, codebook, participants file and empty folders.

    Refuses a folder that already holds a project, and checks the codebook
    before anything is written.
    """
    root = Path(directory).expanduser().resolve()
    if (root / SETTINGS_FILE).exists():
        raise ProjectError(f"{root}: already holds a slqual project ({SETTINGS_FILE}); nothing was changed")
    if root.exists() and not root.is_dir():
        raise ProjectError(f"{root}: exists and is not a folder; choose another name")
    source = resolve_codebook_source(codebook)
    from slqual.codebook import load_codebook

    load_codebook(source)  # a broken codebook must stop init before it writes anything
    root.mkdir(parents=True, exist_ok=True)
    settings = Settings()
    atomic_write_bytes(root / settings.codebook, source.read_bytes())
    atomic_write_text(root / settings.participants, f"{PARTICIPANTS_HEADER}\n{PARTICIPANTS_EXAMPLE}\n")
    for folder in ("transcripts", "codings", INTERNAL_DIR):
        (root / folder).mkdir(exist_ok=True)
    atomic_write_text(root / SETTINGS_FILE, settings.to_yaml())
    project = Project(root=root, settings=settings)
    project.audit("init", codebook=str(source))
    return project
