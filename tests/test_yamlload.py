"""Codebook YAML: libyaml when present, the same positions as the pure-Python parser, fast refusals."""

from __future__ import annotations

import time

import pytest
import yaml

from slqual.codebook import yamlload
from slqual.codebook.yamlload import LineLoader, PureLineLoader, YamlProblem, load_yaml

TEXT = (
    "title: Führung ✓ # a comment\n"
    "codes:\n"
    "  - id: a\n"
    "    name: 'Äb'\n"
    "    definition: |\n      two\n      lines\n"
    '    examples: ["x", y]\n'
    "    children:\n"
    '      - {id: a.b, name: "B"}\n'
    "  - id: a\n"
    "    name: again\n"
    "    name: twice\n"
)


def _positions(value):
    if isinstance(value, dict):
        return {
            "line": value.line,
            "span": value.span,
            "keys": value.key_lines,
            "spans": value.value_spans,
            "duplicates": value.duplicates,
            "items": {k: _positions(v) for k, v in value.items()},
        }
    if isinstance(value, list):
        return {
            "line": value.line,
            "span": value.span,
            "lines": value.item_lines,
            "spans": value.item_spans,
            "items": [_positions(v) for v in value],
        }
    return value


def test_libyaml_is_used_when_installed():
    assert issubclass(LineLoader, yaml.CSafeLoader) == bool(getattr(yaml, "__with_libyaml__", False))


def test_both_parsers_give_the_same_values_lines_and_spans():
    fast, pure = yaml.load(TEXT, Loader=LineLoader), yaml.load(TEXT, Loader=PureLineLoader)
    assert fast == pure
    assert _positions(fast) == _positions(pure)
    assert fast.value_spans["title"].style is None  # a plain scalar, whichever parser read it


def test_deep_brackets_are_refused_at_once():
    start = time.process_time()
    with pytest.raises(YamlProblem, match="nested too deeply"):
        load_yaml("codes: " + "[" * 5000 + "]" * 5000 + "\n")
    assert time.process_time() - start < 1.0  # the pure parser took seconds to reach its recursion limit


def test_without_libyaml_deep_brackets_are_refused_before_parsing(monkeypatch):
    monkeypatch.setattr(yamlload, "HAS_LIBYAML", False)
    with pytest.raises(YamlProblem, match="nested too deeply"):
        load_yaml("codes: " + "[" * 5000 + "]" * 5000 + "\n")
    assert load_yaml(TEXT)["codes"][0]["id"] == "a"


def test_errors_are_worded_by_the_pure_parser():
    with pytest.raises(YamlProblem, match="use spaces, not tabs") as caught:
        load_yaml("codes:\n\t- id: a\n")
    assert caught.value.line == 2


def test_too_many_ids_are_refused_before_parsing():
    rows = ["codes:"] + [f"  - {{id: c{i}, name: C}}" for i in range(yamlload.MAX_NODES + 1)]
    start = time.process_time()
    with pytest.raises(YamlProblem, match="more than 20,000 codes; this is too large to be a codebook"):
        load_yaml("\n".join(rows) + "\n")
    assert time.process_time() - start < 0.5  # parsing 20,000 codes takes seconds
    assert len(yamlload._ID_KEY.findall(TEXT)) == 3  # block, flow and repeated ids all count
