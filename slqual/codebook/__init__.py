"""The codebook: model, loading with checks, views and edits."""

from slqual.codebook.checks import CheckReport, Issue, check_codebook
from slqual.codebook.load import load_codebook, load_project_codebook, parse_codebook
from slqual.codebook.model import Codebook, CodeNode

__all__ = [
    "CheckReport",
    "Codebook",
    "CodeNode",
    "Issue",
    "check_codebook",
    "load_codebook",
    "load_project_codebook",
    "parse_codebook",
]
