"""Checking REFI-QDA XML against its schema: one helper for codebooks (.qdc) and projects (.qdpx)."""

from __future__ import annotations

from pathlib import Path

from slqual.errors import SlqualError


def validate_xml(data: bytes, schema: Path, source: str, kind: str, error: type[SlqualError]) -> None:
    """Raise ``error`` naming ``source`` when ``data`` does not match ``schema`` (needs xmlschema)."""
    try:
        import xmlschema
    except ImportError as exc:  # only a test/dev dependency
        raise error(f"validating a {kind} needs the 'xmlschema' package; install slqual[test]") from exc
    errors = list(xmlschema.XMLSchema(str(schema)).iter_errors(data.decode("utf-8")))
    if errors:
        raise error(f"{source}: does not match the REFI-QDA {kind} schema ({errors[0].reason})")
