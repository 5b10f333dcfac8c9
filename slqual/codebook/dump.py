"""Writing a codebook model back out as data or as clean YAML."""

from __future__ import annotations

from typing import Any

import yaml

from slqual.codebook.checks import NODE_FIELDS
from slqual.codebook.model import Codebook, CodeNode

# Every field a node may hold besides its id, name and children, in the order the checks know them.
FULL_FIELDS = tuple(f for f in NODE_FIELDS if f not in ("id", "name", "children"))
SHORT_FIELDS = ("definition",)


def filled_fields(node: Any, keys: tuple[str, ...] = FULL_FIELDS) -> dict[str, Any]:
    """The fields of a node (or of an imported code) that hold something, lists as lists."""
    data: dict[str, Any] = {}
    for key in keys:
        value = getattr(node, key, None)
        if value:
            data[key] = list(value) if isinstance(value, tuple) else value
    return data


def node_to_dict(node: CodeNode, full: bool = True) -> dict[str, Any]:
    """One node as the YAML schema writes it; empty fields are left out."""
    data: dict[str, Any] = {"id": node.id, "name": node.name}
    data.update(filled_fields(node, FULL_FIELDS if full else SHORT_FIELDS))
    if node.children:
        data["children"] = [node_to_dict(c, full) for c in node.children]
    return data


def codebook_to_dict(codebook: Codebook, full: bool = True) -> dict[str, Any]:
    """The codebook as plain data in the YAML schema (``full=False``: ids, names, definitions)."""
    data: dict[str, Any] = {}
    if codebook.title:
        data["title"] = codebook.title
    if codebook.version:
        data["version"] = int(codebook.version) if codebook.version.isdigit() else codebook.version
    data["codes"] = [node_to_dict(r, full) for r in codebook.roots]
    return data


class _IndentedDumper(yaml.SafeDumper):
    """Indents list items under their key, as the shipped codebooks are written."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


def codebook_to_yaml(codebook: Codebook, header: str = "") -> str:
    """Clean YAML in the documented schema, optionally under a comment header."""
    body = yaml.dump(
        codebook_to_dict(codebook),
        Dumper=_IndentedDumper,
        sort_keys=False,
        allow_unicode=True,
        width=4096,
        default_flow_style=False,
    )
    comment = "".join(f"# {line}\n".replace("# \n", "#\n") for line in header.splitlines())
    return comment + ("\n" if comment else "") + body
