"""Reading codebook YAML safely while remembering where every value starts.

A ``yaml.SafeLoader`` subclass builds mappings and lists that carry their line
numbers (1-based) and the exact character spans of their values, so checks can
name the line of a problem and edits can rewrite a value in place without
re-dumping the file (which would lose the researchers' comments).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import yaml

MAX_BYTES = 5_000_000  # a large real codebook is well under 200 kB
MAX_NODES = 20_000  # codebook nodes (codes) in one file
MAX_DEPTH = 40  # levels of children


@dataclass(frozen=True)
class Span:
    """Where a YAML value sits in the text: character offsets, lines (1-based) and style."""

    start: int
    end: int
    line: int
    end_line: int
    style: str | None  # for scalars: None (plain), "'" or '"', "|" or ">"; for collections: "flow"/"block"


class LineDict(dict):
    """A mapping that knows its line, the line of each key and the span of each value."""

    line: int = 0
    span: Span | None = None
    key_lines: dict[Any, int]
    value_spans: dict[Any, Span]
    duplicates: list[tuple[Any, int]]

    def __init__(self) -> None:
        super().__init__()
        self.key_lines = {}
        self.value_spans = {}
        self.duplicates = []


class LineList(list):
    """A list that knows its line and the line of each item."""

    line: int = 0
    span: Span | None = None
    item_lines: list[int]
    item_spans: list[Span]

    def __init__(self) -> None:
        super().__init__()
        self.item_lines = []
        self.item_spans = []


def _span(node: yaml.Node) -> Span:
    if isinstance(node, yaml.ScalarNode):
        style = node.style or None  # libyaml gives '' for plain scalars, PyYAML None
    else:
        style = "flow" if node.flow_style else "block"
    return Span(
        start=node.start_mark.index,
        end=node.end_mark.index,
        line=node.start_mark.line + 1,
        end_line=node.end_mark.line + 1,
        style=style,
    )


# libyaml (C) parses a large codebook tens of times faster than PyYAML's pure-Python parser and
# limits nesting itself; both keep every node's position. The pure loader remains for machines
# without libyaml and to word the error of a file libyaml refuses.
HAS_LIBYAML = hasattr(yaml, "CSafeLoader")
MAX_FLOW_DEPTH = 400  # brackets open at once; for the pure loader, which would recurse that deep


class PureLineLoader(yaml.SafeLoader):
    """SafeLoader whose mappings and lists remember their position in the file."""


class LineLoader(yaml.CSafeLoader if HAS_LIBYAML else yaml.SafeLoader):  # type: ignore[misc]
    """The fastest safe loader available whose mappings and lists remember their position."""


def _construct_map(loader: LineLoader, node: yaml.MappingNode):
    data = LineDict()
    data.line = node.start_mark.line + 1
    data.span = _span(node)
    yield data
    loader.flatten_mapping(node)
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=False)
        try:
            hash(key)
        except TypeError:
            raise yaml.constructor.ConstructorError(
                None, None, "a field name must be plain text", key_node.start_mark
            ) from None
        line = key_node.start_mark.line + 1
        if key in data:
            data.duplicates.append((key, line))
        data[key] = loader.construct_object(value_node, deep=False)
        data.key_lines[key] = line
        data.value_spans[key] = _span(value_node)


def _construct_seq(loader: LineLoader, node: yaml.SequenceNode):
    data = LineList()
    data.line = node.start_mark.line + 1
    data.span = _span(node)
    yield data
    for item in node.value:
        data.append(loader.construct_object(item, deep=False))
        data.item_lines.append(item.start_mark.line + 1)
        data.item_spans.append(_span(item))


for _loader in (LineLoader, PureLineLoader):
    _loader.add_constructor("tag:yaml.org,2002:map", _construct_map)
    _loader.add_constructor("tag:yaml.org,2002:seq", _construct_seq)


def last_scalar_end(value: LineDict | LineList) -> int:
    """The character offset just after the last scalar inside a mapping or list (-1 if none).

    Block collections in PyYAML end where the next token starts, after any
    comments; the last scalar marks where the value's own text really ends.
    """
    if isinstance(value, LineDict):
        pairs = [(value.value_spans.get(k), v) for k, v in value.items()]
    else:
        pairs = list(zip(value.item_spans, value, strict=False))
    end = -1
    for span, item in pairs:
        if isinstance(item, (LineDict, LineList)):
            end = max(end, last_scalar_end(item))
        elif span is not None:
            end = max(end, span.end)
    return end


class YamlProblem(Exception):
    """The text could not be read as YAML; ``line`` is 1-based or None."""

    def __init__(self, message: str, line: int | None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


def load_yaml(text: str) -> Any:
    """Parse YAML text into LineDict/LineList values, or raise YamlProblem with a plain message."""
    if len(text) > MAX_BYTES:
        raise YamlProblem(
            f"the file is too large for a codebook ({len(text):,} characters, the limit is {MAX_BYTES:,}); "
            "check that this is the right file",
            None,
        )
    if len(_ID_KEY.findall(text)) > MAX_NODES:  # the walk would stop there: spare the parse
        raise YamlProblem(f"more than {MAX_NODES:,} codes; this is too large to be a codebook", None)
    if HAS_LIBYAML:
        try:
            return yaml.load(text, Loader=LineLoader)  # LineLoader is a CSafeLoader subclass
        except yaml.MarkedYAMLError as exc:
            if "maximum nesting depth" in str(exc.problem):
                raise YamlProblem(TOO_DEEP, None) from None
            # libyaml's messages are terser (no '\t' for a tab): the pure parser words the problem.
    elif _flow_depth(text) > MAX_FLOW_DEPTH:
        raise YamlProblem(TOO_DEEP, None)
    try:
        return yaml.load(text, Loader=PureLineLoader)  # a SafeLoader subclass
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "unreadable YAML"
        if exc.context and exc.context_mark and "end of stream" in problem:
            # An unclosed quote or bracket: the place it was opened is the useful line.
            mark = exc.context_mark
            problem = (
                "a quote opened here is never closed"
                if "quoted scalar" in exc.context
                else f"{exc.context}: the file ends first"
            )
        line = mark.line + 1 if mark else None
        hint = "check the indentation and quoting on this line or the one above"
        if "'\\t'" in problem or "\t" in problem:
            hint = "use spaces, not tabs, to indent"
        elif "found undefined tag" in problem or "could not determine a constructor" in problem:
            hint = "remove the '!' tag; a codebook holds only plain text, lists and fields"
        raise YamlProblem(f"not valid YAML ({problem}); {hint}", line) from exc
    except yaml.YAMLError as exc:
        raise YamlProblem(f"not valid YAML ({exc}); check the file's encoding and indentation", None) from exc
    except RecursionError:
        raise YamlProblem(TOO_DEEP, None) from None


# An 'id:' key, in block ("- id:", "  id:") or flow ("{id:", ", id:") style.
_ID_KEY = re.compile(r"(?m)(?:^[ \t-]*|[{,][ \t]*)id[ \t]*:")
TOO_DEEP = "the file is nested too deeply to be a codebook; check for runaway indentation or brackets"


def _flow_depth(text: str) -> int:
    """Roughly the most brackets open at once (brackets in quotes and comments count too)."""
    depth = deepest = 0
    for match in re.finditer(r"[\[\]{}]", text):
        depth = depth + 1 if match.group() in "[{" else max(depth - 1, 0)
        deepest = max(deepest, depth)
    return deepest
