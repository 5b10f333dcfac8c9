"""The agreement report as CSV or Markdown text (the rich table lives in the CLI)."""

from __future__ import annotations

import csv
import io

from slqual.agreement.report import PER_CODE

SHORT = {
    "percent_agreement": "% agree",
    "cohen_kappa": "kappa",
    "fleiss_kappa": "Fleiss k",
    "krippendorff_alpha": "alpha",
    "gwet_ac1": "AC1",
    "brennan_prediger": "B-P",
    "conger_kappa": "Conger k",
    "positive_agreement": "ppos",
    "negative_agreement": "pneg",
}


INDENT = 2
RARE_MARK = "†"


def rare_note(data: dict) -> str:
    """The footnote for codes flagged ``too_rare``."""
    return (
        f"{RARE_MARK} applied fewer than {data.get('too_rare_below', 5)} times in total by all coders: "
        "statistics shown, but too few applications to be read as evidence of reliability"
    )


def code_tree(codes: list[dict]) -> list[dict]:
    """The rows of a report as a tree, for tables where a full code id would be cut off.

    Each entry: ``label`` (the last part of the id, or the whole id when it
    does not extend its parent's), ``depth`` (0 for a theme), ``top`` (the
    theme or first id part, to group rows) and ``row`` (the report row, or
    None for a heading that only holds codes below it). In a project the
    codebook's parents are used; outside one the tree follows the dots in
    the ids, and a missing ancestor is shown as a heading.
    """
    known = {row["code"]: row for row in codes}
    in_project = any(row.get("theme") for row in codes)
    out: list[dict] = []
    if in_project:
        depth: dict[str, int] = {}
        for row in codes:
            code, parent = row["code"], row.get("parent")
            depth[code] = depth.get(parent, -1) + 1 if parent else 0
            label = code[len(parent) + 1 :] if parent and code.startswith(parent + ".") else code
            out.append({"label": label, "depth": depth[code], "top": row.get("theme") or code, "row": row})
        return out
    shown: set[str] = set()
    for row in sorted(codes, key=lambda r: r["code"].split(".")):
        parts = row["code"].split(".")
        for d in range(1, len(parts)):
            prefix = ".".join(parts[:d])
            if prefix not in shown and prefix not in known:
                shown.add(prefix)
                out.append({"label": parts[d - 1], "depth": d - 1, "top": parts[0], "row": None})
        shown.add(row["code"])
        out.append({"label": parts[-1], "depth": len(parts) - 1, "top": parts[0], "row": row})
    return out


def cu_alpha_lines(data: dict) -> list[str]:
    """One line per exclusive theme: its cu-alpha, n, and the reason or the conflicts."""
    out = []
    for cu in data.get("cu_alpha", []):
        value = "undefined" if cu["krippendorff_alpha"] is None else f"{cu['krippendorff_alpha']:.3f}"
        text = (
            f"cu-alpha for {cu['theme']} (which of its {len(cu['categories'])} codes, n = {cu['n']}): {value}"
        )
        if cu["undefined"]:
            text += f" ({cu['undefined']})"
        if cu["conflicts"]:
            text += f"; {cu['conflicts']} rating(s) with two of its codes on one segment were left out"
        out.append(text)
    return out


def _cell(value: float | None, digits: int = 3) -> str:
    return "" if value is None else f"{value:.{digits}f}"


def csv_text(data: dict) -> str:
    """One row per code: values, interval bounds, reasons for undefined values."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    header = ["code", "name", "theme", "n", *[f"positives_{c}" for c in data["coders"]]]
    for name in PER_CODE:
        header += [name, f"{name}_low", f"{name}_high"]
    header += [
        "prevalence",
        "prevalence_index",
        "bias_index",
        "interpretation_kappa",
        "interpretation_alpha",
        "too_rare",
        "a",
        "b",
        "c",
        "d",
        "undefined",
        "ci_withheld",
    ]
    writer.writerow(header)
    for row in data["codes"]:
        line = [
            row["code"],
            row["name"],
            row["theme"] or "",
            row["n"],
            *[row["positives"][c] for c in data["coders"]],
        ]
        for name in PER_CODE:
            ci = row["ci"][name] or [None, None]
            line += [_raw(row[name]), _raw(ci[0]), _raw(ci[1])]
        line += [
            _raw(row["prevalence"]),
            _raw(row["prevalence_index"]),
            _raw(row["bias_index"]),
            row["interpretation"].get("cohen_kappa", ""),
            row["interpretation"].get("krippendorff_alpha", ""),
            int(row["too_rare"]),
            *[row["counts"][name] for name in "abcd"],
            "; ".join(f"{k}: {v}" for k, v in row["undefined"].items()),
            "; ".join(f"{k}: {v}" for k, v in row["ci_withheld"].items()),
        ]
        writer.writerow(line)
    return out.getvalue()


def _raw(value: float | None) -> str:
    return "" if value is None else repr(value)


def markdown_text(data: dict) -> str:
    """A Markdown table per code plus the overall line, with footnotes for undefined values."""
    kappa = "kappa" if data["kappa_type"] == "cohen" else "Light's kappa"
    # Conger's kappa exists for three or more coders only; with two its column would be all dashes.
    shown = [n for n in PER_CODE if not (n == "conger_kappa" and data["kappa_type"] == "cohen")]
    names = [SHORT[n] if n != "cohen_kappa" else kappa for n in shown]
    lines = [
        f"Agreement of {', '.join(data['coders'])} per {data['level']} (unit: segment"
        + (", each weighted by its length in words)" if data.get("weight") == "words" else ")"),
        "",
        "| code | n | " + " | ".join(names) + " | interpretation |",
        "|---|---:|" + "---:|" * len(shown) + "---|",
    ]
    notes: dict[str, int] = {}
    for row in data["codes"]:
        cells = []
        for name in shown:
            if row[name] is None:
                why = row["undefined"].get(name, "")
                mark = notes.setdefault(why, len(notes) + 1)
                cells.append(f"–[^{mark}]")
            elif name in row["ci_withheld"]:
                mark = notes.setdefault(row["ci_withheld"][name], len(notes) + 1)
                cells.append(f"{_cell(row[name])}[^{mark}]")
            else:
                cells.append(_cell(row[name]))
        interp = ", ".join(
            f"{v} ({SHORT.get(k, k)})"
            for k, v in row["interpretation"].items()
            if k in ("cohen_kappa", "krippendorff_alpha")
        )
        n = f"{row['n']}{RARE_MARK if row['too_rare'] else ''}"
        lines.append(f"| {row['code']} | {n} | " + " | ".join(cells) + f" | {interp} |")
    o = data["overall"]
    lines += [
        "",
        f"Overall (n = {o['n']}): percent agreement {_cell(o['percent_agreement'])}, "
        f"alpha (MASI) {_cell(o['krippendorff_alpha_masi'])}, pooled kappa {_cell(o['pooled_kappa'])}, "
        f"mean alpha {_cell(o['mean_alpha'])}.",
    ]
    lines += [f"{line}." for line in cu_alpha_lines(data)]
    if notes or any(row["too_rare"] for row in data["codes"]):
        lines.append("")
    lines += [f"[^{mark}]: {why}" for why, mark in notes.items()]
    if any(row["too_rare"] for row in data["codes"]):
        lines.append(rare_note(data))
    return "\n".join(lines) + "\n"
