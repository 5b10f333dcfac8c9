"""Every check a codebook file must pass, reported all at once with file, line and node id.

``check_codebook(path)`` returns a CheckReport listing every problem; loading
a codebook (``load_codebook``) runs the same checks and stops on errors.
Warnings (a colour YAML read as a comment, an only child that repeats its
parent) are shown by ``slqual codebook check`` but do not stop other commands.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from slqual.codebook.yamlload import MAX_BYTES, MAX_DEPTH, MAX_NODES, YamlProblem, load_yaml
from slqual.errors import CodebookError

ERROR, WARNING = "error", "warning"
TOP_FIELDS = ("title", "version", "codes")
NODE_FIELDS = (
    "id",
    "name",
    "definition",
    "include",
    "exclude",
    "examples",
    "keywords",
    "color",
    "memo",
    "exclusive",
    "caption",
    "children",
)
TEXT_FIELDS = ("name", "definition", "include", "exclude", "memo", "caption")
LIST_FIELDS = ("examples", "keywords")
COLOR = re.compile(r"#[0-9a-fA-F]{6}")
ID_PART = r"[\w-]+"
ID_PATTERN = re.compile(rf"{ID_PART}(?:\.{ID_PART})*")
REGEX_PREFIX = "re:"
# Half of a character pair (a "\ud800" escape in a quoted YAML string): no file format can hold it.
BROKEN_CHARACTER = re.compile("[\ud800-\udfff]")
# Control characters (an escape sequence that colours the terminal, Word's line break \v) break
# terminals, SVG figures and Word files; tab and new line are ordinary text.
CONTROL_CHARACTER = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f]")
WORD_BREAK = re.compile("[\x0b\x0c]")  # Word's line and page breaks: read as new lines, with a warning
CONTROL_NAMES = {"\x0b": "a line break from Word (Shift+Enter)", "\x0c": "a page break", "\x1b": "an escape"}
MAX_ISSUES = 200  # past this many problems the check stops: the rest are likely the same mistake


@dataclass(frozen=True)
class Issue:
    """One problem: the file, the line (1-based, None when unknown), the node id and what to do."""

    file: str
    line: int | None
    node_id: str | None
    message: str
    severity: str = ERROR

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        node = f" ({self.node_id})" if self.node_id else ""
        return f"{where}{node}: {self.message}"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class CheckReport:
    """The result of checking a codebook (or codings against it): every issue found."""

    file: str
    issues: tuple[Issue, ...]

    @property
    def errors(self) -> tuple[Issue, ...]:
        return tuple(i for i in self.issues if i.severity == ERROR)

    @property
    def warnings(self) -> tuple[Issue, ...]:
        return tuple(i for i in self.issues if i.severity == WARNING)

    @property
    def ok(self) -> bool:
        """True when nothing at all was found (no errors, no warnings)."""
        return not self.issues

    def to_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "ok": self.ok,
            "errors": len(self.errors),
            "warnings": len(self.warnings),
            "issues": [i.to_dict() for i in self.issues],
        }


def summarize(issues: tuple[Issue, ...] | list[Issue], command: str = "slqual codebook check") -> str:
    """One line naming the first problem and how many more there are."""
    first = str(issues[0])
    more = len(issues) - 1
    if more:
        first += f" (and {more} more problem{'s' if more > 1 else ''}; run '{command}' to see them all)"
    return first


def id_problem(code_id: str) -> str | None:
    """What is wrong with an id as text, or None when it is fine."""
    suggestion = slugify(code_id.replace(" ", "_"), keep_dots=True) or "theme.code"
    if any(ch.isspace() for ch in code_id):
        return f"id '{code_id}' contains spaces; use '_' instead, e.g. '{suggestion}'"
    if code_id != code_id.lower():
        return f"id '{code_id}' has upper-case letters; ids are lower case, e.g. '{suggestion}'"
    if not ID_PATTERN.fullmatch(code_id):
        return (
            f"id '{code_id}' may only use letters, digits, '_' and '-', with dots between parts "
            f"(e.g. '{suggestion}')"
        )
    return None


def slugify(text: str, keep_dots: bool = False) -> str:
    """A lower-case id part made from a name: letters and digits kept (any script), the rest '_'."""
    text = unicodedata.normalize("NFKC", text).lower()
    allowed = r"[^\w.]+" if keep_dots else r"[^\w]+"
    slug = re.sub(allowed, "_", text)
    slug = re.sub(r"_+", "_", slug)
    if keep_dots:
        slug = re.sub(r"_*\.+_*", ".", slug).strip(".")
    return slug.strip("_")


def _did_you_mean(key: str, known: tuple[str, ...]) -> str:
    close = difflib.get_close_matches(str(key).lower(), known, n=1, cutoff=0.6)
    if close:
        return f"did you mean '{close[0]}'?"
    return f"known fields are {', '.join(known)}"


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "yes/no value"
    if isinstance(value, dict):
        return "set of fields"
    if isinstance(value, list):
        return "list"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "single text"
    if hasattr(value, "isoformat"):
        return "date"
    return "value of another kind"


def _item_line(items: list, index: int, fallback: int | None = None) -> int | None:
    """The line of a list's item as the YAML reader recorded it, else ``fallback``."""
    item_lines = getattr(items, "item_lines", [])
    return item_lines[index] if index < len(item_lines) else fallback


class _Checker:
    def __init__(self, source: str) -> None:
        self.source = source
        self.issues: list[Issue] = []
        self.ids: dict[str, int] = {}
        self.count = 0
        self.stopped = False

    def add(self, line: int | None, node_id: str | None, message: str, severity: str = ERROR) -> None:
        if self.stopped:
            return
        if len(self.issues) >= MAX_ISSUES:
            self.issues.append(
                Issue(
                    self.source,
                    line,
                    None,
                    f"more than {MAX_ISSUES} problems; the check stopped here: fix these and check again",
                )
            )
            self.stopped = True
            return
        self.issues.append(Issue(self.source, line, node_id, message, severity))

    def top(self, data: Any) -> None:
        if data is None:
            self.add(1, None, "the file is empty; start from the template ('slqual init' writes one)")
            return
        if not isinstance(data, dict):
            self.add(
                getattr(data, "line", 1), None, "expected 'title:', 'version:' and 'codes:' at the top level"
            )
            return
        lines = getattr(data, "key_lines", {})
        for key, line in getattr(data, "duplicates", []):
            self.add(line, None, f"'{key}' appears twice at the top level; keep one")
        for key in data:
            if key not in TOP_FIELDS:
                self.add(lines.get(key), None, f"unknown field '{key}'; {_did_you_mean(key, TOP_FIELDS)}")
        for key in ("title", "version"):
            value = data.get(key)
            if isinstance(value, (bool, list, dict)):
                self.add(lines.get(key), None, f"'{key}' must be text, not a {_kind(value)}")
            self.check_characters(value, key, None, lines.get(key))
        codes = data.get("codes")
        if "codes" not in data:
            self.add(
                getattr(data, "line", 1), None, "no 'codes:' list; the themes and codes go under 'codes:'"
            )
        elif not isinstance(codes, list):
            self.add(lines.get("codes"), None, "'codes' must be a list of themes, each starting with '- id:'")
        elif not codes:
            self.add(lines.get("codes"), None, "'codes' is empty; add at least one theme")
        else:
            self.children(codes, None, 0)
        self.issues.sort(key=lambda i: i.line or 0)

    def children(self, items: list, parent: dict | None, depth: int) -> None:
        if depth >= MAX_DEPTH:
            node_id = parent.get("id") if parent else None
            self.add(
                getattr(items, "line", None),
                node_id if isinstance(node_id, str) else None,
                f"codes are nested more than {MAX_DEPTH} levels deep; flatten the tree",
            )
            return
        for index, item in enumerate(items):
            if self.stopped:
                return
            self.node(item, _item_line(items, index), depth)
        if parent is not None and len(items) == 1 and isinstance(items[0], dict):
            self.only_child(parent, items[0])

    def node(self, node: Any, line: int | None, depth: int) -> None:
        self.count += 1
        if self.count > MAX_NODES:
            self.add(line, None, f"more than {MAX_NODES:,} codes; this is too large to be a codebook")
            self.stopped = True
            return
        if not isinstance(node, dict):
            self.add(
                line, None, f"each code must be a set of fields starting with '- id:', not a {_kind(node)}"
            )
            return
        line = getattr(node, "line", line)
        lines = getattr(node, "key_lines", {})
        raw_id = node.get("id")
        node_id = raw_id if isinstance(raw_id, str) and raw_id.strip() else None
        for key, key_line in getattr(node, "duplicates", []):
            self.add(key_line, node_id, f"field '{key}' appears twice in this code; keep one")
        for key in node:
            if key not in NODE_FIELDS:
                self.add(lines.get(key), node_id, f"unknown field '{key}'; {_did_you_mean(key, NODE_FIELDS)}")
        self.check_id(node, raw_id, line, lines)
        name = node.get("name")
        if name is None or (isinstance(name, str) and not name.strip()):
            self.add(lines.get("name", line), node_id, "missing name; add 'name:' with a short title")
        for key in TEXT_FIELDS:
            value = node.get(key)
            if isinstance(value, (bool, list, dict)):
                hint = " (put it in quotes)" if isinstance(value, bool) else ""
                self.add(lines.get(key), node_id, f"'{key}' must be text, not a {_kind(value)}{hint}")
            self.check_characters(value, key, node_id, lines.get(key))
        for key in LIST_FIELDS:
            self.check_list(node, key, node_id, lines)
        self.check_keywords(node, node_id, lines)
        self.check_color(node, node_id, lines)
        self.check_exclusive(node, node_id, lines)
        children = node.get("children")
        if children is None:
            return
        if not isinstance(children, list):
            self.add(
                lines.get("children"),
                node_id,
                f"'children' must be a list of codes, each starting with '- id:', not a {_kind(children)}",
            )
            return
        self.children(children, node, depth + 1)

    def check_id(self, node: dict, raw_id: Any, line: int | None, lines: dict) -> None:
        where = lines.get("id", line)
        if raw_id is None or (isinstance(raw_id, str) and not raw_id.strip()):
            name = node.get("name")
            hint = f", e.g. 'id: {slugify(name)}'" if isinstance(name, str) and slugify(name) else ""
            self.add(where, None, f"missing id; every code needs a unique 'id:'{hint}")
            return
        if not isinstance(raw_id, str):
            shown = raw_id.isoformat() if hasattr(raw_id, "isoformat") else str(raw_id)
            self.add(
                where, shown, f"id {shown} is read as a {_kind(raw_id)}; put it in quotes: id: '{shown}'"
            )
            return
        problem = id_problem(raw_id)
        if problem:
            self.add(where, raw_id, problem)
        if raw_id in self.ids:
            self.add(
                where,
                raw_id,
                f"id '{raw_id}' is used twice (first at line {self.ids[raw_id]}); ids must be unique",
            )
        else:
            self.ids[raw_id] = where or 0

    def check_list(self, node: dict, key: str, node_id: str | None, lines: dict) -> None:
        value = node.get(key)
        if value is None:
            return
        if not isinstance(value, list):
            self.add(
                lines.get(key),
                node_id,
                f"'{key}' must be a list, not a {_kind(value)}: "
                "put each item on its own line starting with '- '",
            )
            return
        for index, item in enumerate(value):
            line = _item_line(value, index, lines.get(key))
            if isinstance(item, (bool, list, dict)) or item is None:
                self.add(line, node_id, f"each item of '{key}' must be text, not a {_kind(item)}")
            self.check_characters(item, key, node_id, line)

    def check_characters(self, value: Any, key: str, node_id: str | None, line: int | None) -> None:
        control = CONTROL_CHARACTER.search(value) if isinstance(value, str) else None
        if control:
            char = control.group()
            what = CONTROL_NAMES.get(char, "a control character")
            self.add(
                line,
                node_id,
                f"'{key}' holds a control character (U+{ord(char):04X}, {what}); "
                "delete it, or use a real new line in a '|' block for a line break",
            )
        if isinstance(value, str) and WORD_BREAK.search(value):
            self.add(
                line,
                node_id,
                f"'{key}' holds a line break from Word (Shift+Enter, U+000B) or a page break; it is read "
                "as a new line: replace it with a real new line in a '|' block to keep the file plain",
                WARNING,
            )
        if isinstance(value, str) and BROKEN_CHARACTER.search(value):
            self.add(
                line,
                node_id,
                f"'{key}' holds a broken character (an escape such as \\ud800 inside quotes); "
                "remove it or write the character itself",
            )

    def check_keywords(self, node: dict, node_id: str | None, lines: dict) -> None:
        value = node.get("keywords")
        if not isinstance(value, list):
            return
        for index, item in enumerate(value):
            if not isinstance(item, str):
                continue
            line = _item_line(value, index, lines.get("keywords"))
            if not item.strip():
                self.add(line, node_id, "empty keyword; delete the line or write a word or phrase")
                continue
            if item.startswith(REGEX_PREFIX):
                pattern = item[len(REGEX_PREFIX) :]
                if not pattern.strip():
                    self.add(line, node_id, "keyword 're:' has no pattern after it")
                    continue
                try:
                    re.compile(pattern)
                except re.error as exc:
                    self.add(
                        line,
                        node_id,
                        f"keyword '{item}' is not a valid regular expression ({exc}); "
                        "fix the pattern or write a plain phrase",
                    )

    def check_exclusive(self, node: dict, node_id: str | None, lines: dict) -> None:
        """``exclusive: true`` says the node's children are mutually exclusive (one per segment)."""
        if "exclusive" in node and not isinstance(node["exclusive"], bool):
            self.add(
                lines.get("exclusive"),
                node_id,
                f"'exclusive' must be true or false, not {node['exclusive']!r}",
            )

    def check_color(self, node: dict, node_id: str | None, lines: dict) -> None:
        if "color" not in node:
            return
        value = node.get("color")
        line = lines.get("color")
        if value is None:
            self.add(
                line,
                node_id,
                "color is empty; if you wrote #rrggbb without quotes, YAML read it as a comment: "
                'write color: "#1f77b4"',
                WARNING,
            )
        elif not isinstance(value, str) or not COLOR.fullmatch(value.strip()):
            self.add(line, node_id, f"color {value!r} is not '#rrggbb'; write it in quotes, e.g. \"#1f77b4\"")

    def only_child(self, parent: dict, child: dict) -> None:
        def norm(value: Any) -> str:
            return " ".join(str(value).split()).casefold() if isinstance(value, str) else ""

        same_name = norm(parent.get("name")) and norm(parent.get("name")) == norm(child.get("name"))
        same_def = norm(parent.get("definition")) and norm(parent.get("definition")) == norm(
            child.get("definition")
        )
        if same_name or same_def:
            what = "name" if same_name else "definition"
            child_id = child.get("id") if isinstance(child.get("id"), str) else None
            parent_id = parent.get("id") if isinstance(parent.get("id"), str) else "its parent"
            self.add(
                getattr(child, "line", None),
                child_id,
                f"the only child of '{parent_id}' repeats it (same {what}); "
                "merge the two or add sibling codes",
                WARNING,
            )


def check_data(data: Any, source: str = "codebook") -> list[Issue]:
    """Every problem in parsed codebook data (as read by slqual.codebook.yamlload.load_yaml)."""
    checker = _Checker(source)
    checker.top(data)
    return checker.issues


def check_text(text: str, source: str = "codebook") -> tuple[Any, list[Issue]]:
    """Parse and check YAML text: the parsed data (None when it is not YAML) and every issue."""
    try:
        data = load_yaml(text)
    except YamlProblem as exc:
        return None, [Issue(source, exc.line, None, exc.message, ERROR)]
    return data, check_data(data, source)


def read_codebook_bytes(
    path: Path | str,
    limit: int = MAX_BYTES,
    missing: str = "codebook not found; check the path (or the 'codebook:' setting in slqual.yaml)",
    kind: str = "the codebook's .yaml file",
) -> bytes:
    """The bytes of a codebook file (of any format) up to ``limit``, or a CodebookError naming the file."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > limit:
            raise CodebookError(
                f"{path}: too large for a codebook ({size:,} bytes); check that this is the right file"
            )
        return path.read_bytes()
    except FileNotFoundError as exc:
        raise CodebookError(f"{path}: {missing}") from exc
    except IsADirectoryError as exc:
        raise CodebookError(f"{path}: is a folder; give {kind}") from exc
    except OSError as exc:
        raise CodebookError(f"{path}: cannot be read ({exc.strerror or exc})") from exc


def read_codebook_text(path: Path | str) -> str:
    """The text of a codebook file, or a CodebookError naming the file."""
    return decode_codebook(read_codebook_bytes(path), path)


def decode_codebook(raw: bytes, path: Path | str) -> str:
    """The text of a codebook file's bytes (UTF-8, with or without a byte-order mark)."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise CodebookError(
            f"{path}: saved as UTF-16 ('Unicode') text; save it as UTF-8 in your editor "
            "(in Notepad: File > Save as, Encoding: UTF-8)"
        )
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise CodebookError(
            f"{path}:{line}: not UTF-8 text (a character on this line is in another encoding, "
            "such as Windows-1252); save the file as UTF-8 in your editor"
        ) from exc


def check_file(path: Path | str) -> tuple[Any, CheckReport]:
    """Read and check a codebook file: the parsed data (None when it is not YAML) and the report."""
    data, issues = check_text(read_codebook_text(path), str(path))
    return data, CheckReport(str(path), tuple(issues))


def check_codebook(path: Path | str) -> CheckReport:
    """Check a codebook file and return every issue (an unreadable file raises CodebookError)."""
    return check_file(path)[1]
