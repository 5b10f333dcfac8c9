"""Reports: theme-by-group quote tables, prevalence, overview, long data and figures."""

from slqual.reports.build import ReportResult, build_report, make_report, write_report
from slqual.reports.model import (
    Figure,
    Group,
    Level,
    Quote,
    QuoteCell,
    Report,
    ReportFormat,
    ReportOptions,
    Table,
    TableKind,
    parse_formats,
    parse_where,
)

__all__ = [
    "Figure",
    "Group",
    "Level",
    "Quote",
    "QuoteCell",
    "Report",
    "ReportFormat",
    "ReportOptions",
    "ReportResult",
    "Table",
    "TableKind",
    "build_report",
    "make_report",
    "parse_formats",
    "parse_where",
    "write_report",
]
