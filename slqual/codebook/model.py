"""The codebook as a tree of nodes: themes at the top, codes below, any depth."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field


@dataclass(frozen=True)
class CodeNode:
    """One theme, subtheme or code."""

    id: str
    name: str
    definition: str = ""
    include: str = ""
    exclude: str = ""
    examples: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    color: str = ""
    memo: str = ""
    exclusive: bool = False  # the children are mutually exclusive (a segment gets at most one)
    caption: str = ""  # a theme table's caption in reports (default: "Quotes addressing the theme ...")
    children: tuple[CodeNode, ...] = ()
    parent: str | None = None
    depth: int = 0
    line: int | None = None  # where the node starts in the YAML file, for messages

    @property
    def is_leaf(self) -> bool:
        return not self.children


def _preorder(node: CodeNode) -> Iterator[CodeNode]:
    """The node, then its descendants in document order."""
    yield node
    for child in node.children:
        yield from _preorder(child)


@dataclass(frozen=True)
class Codebook:
    """A checked codebook. ``nodes`` lists every node in document (pre-)order."""

    title: str
    version: str
    roots: tuple[CodeNode, ...]
    source: str = ""
    nodes: dict[str, CodeNode] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        nodes = {node.id: node for root in self.roots for node in _preorder(root)}
        object.__setattr__(self, "nodes", nodes)

    def __iter__(self) -> Iterator[CodeNode]:
        return iter(self.nodes.values())

    def __contains__(self, code_id: object) -> bool:
        return code_id in self.nodes

    def __len__(self) -> int:
        return len(self.nodes)

    def ids(self) -> list[str]:
        return list(self.nodes)

    def node(self, code_id: str) -> CodeNode:
        return self.nodes[code_id]

    @property
    def themes(self) -> tuple[CodeNode, ...]:
        return self.roots

    def theme_of(self, code_id: str) -> str:
        """The id of the top-level theme a node belongs to."""
        node = self.nodes[code_id]
        while node.parent is not None:
            node = self.nodes[node.parent]
        return node.id

    def ancestors(self, code_id: str) -> list[CodeNode]:
        """From the theme down to the node itself."""
        chain = [self.nodes[code_id]]
        while chain[-1].parent is not None:
            chain.append(self.nodes[chain[-1].parent])
        return chain[::-1]

    def path(self, code_id: str, sep: str = " > ") -> str:
        """The node's names from its theme down, e.g. 'Barriers > Bureaucracy'."""
        return sep.join(n.name for n in self.ancestors(code_id))

    def descendants(self, code_id: str, include_self: bool = True) -> list[CodeNode]:
        out = list(_preorder(self.nodes[code_id]))
        return out if include_self else out[1:]

    def leaves(self) -> list[CodeNode]:
        return [n for n in self.nodes.values() if n.is_leaf]
