"""Invariants over generated codebooks: YAML and .qdc round trips keep what they promise."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from slqual.codebook.dump import codebook_to_dict, codebook_to_yaml
from slqual.codebook.load import load_codebook, parse_codebook
from slqual.codebook.model import Codebook, CodeNode
from slqual.interop.importer import import_codebook
from slqual.interop.qdc import codebook_to_qdc, validate_qdc

# One line of text in any script, with XML and YAML specials, but no control or line-break characters.
TEXT = (
    st.text(
        st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp"), blacklist_characters="\ufffe\uffff"),
        min_size=1,
        max_size=30,
    )
    .map(str.strip)
    .filter(lambda s: s and not s.startswith(("Include:", "Exclude:", "Example:", "Memo:")))
)
COLOR = st.one_of(st.just(""), st.from_regex(r"#[0-9a-f]{6}", fullmatch=True))


@st.composite
def codebooks(draw) -> Codebook:
    counter = iter(range(10_000))

    def node(parent: str | None, depth: int) -> CodeNode:
        node_id = f"{parent}.n{next(counter)}" if parent else f"n{next(counter)}"
        children = ()
        if depth < 3:
            children = tuple(node(node_id, depth + 1) for _ in range(draw(st.integers(0, 3 - depth))))
        return CodeNode(
            id=node_id,
            name=draw(TEXT),
            definition=draw(st.one_of(st.just(""), TEXT)),
            include=draw(st.one_of(st.just(""), TEXT)),
            examples=tuple(draw(st.lists(TEXT, max_size=2))),
            color=draw(COLOR),
            children=children,
            parent=parent,
            depth=depth,
        )

    roots = tuple(node(None, 0) for _ in range(draw(st.integers(1, 3))))
    return Codebook(title=draw(TEXT), version="1", roots=roots)


def shape(codebook: Codebook):
    def one(n: CodeNode):
        return (n.name, n.definition, n.include, n.examples, n.color, [one(c) for c in n.children])

    return [one(r) for r in codebook.roots]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(codebooks())
def test_yaml_dump_and_load_is_lossless(codebook):
    again = parse_codebook(codebook_to_yaml(codebook), "generated.yaml")
    assert codebook_to_dict(again) == codebook_to_dict(codebook)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(codebooks())
def test_qdc_validates_and_round_trips(codebook):
    data = codebook_to_qdc(codebook)
    validate_qdc(data)
    assert codebook_to_qdc(codebook) == data
    with tempfile.TemporaryDirectory() as folder:
        qdc = Path(folder) / "cb.qdc"
        qdc.write_bytes(data)
        back = load_codebook(import_codebook(qdc, Path(folder) / "cb.yaml").output)
    assert shape(back) == shape(codebook)
