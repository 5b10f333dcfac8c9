"""Codebook checks: one broken file per check, every issue with file, line and node id."""

from __future__ import annotations

from pathlib import Path

import pytest

from slqual.codebook import CheckReport, check_codebook, load_codebook, parse_codebook
from slqual.codebook.checks import MAX_ISSUES, id_problem, slugify
from slqual.codebook.yamlload import MAX_BYTES, MAX_DEPTH, MAX_NODES
from slqual.errors import CodebookError
from slqual.project import CODEBOOKS_DIR

DATA = Path(__file__).parent / "data" / "codebooks"
BROKEN = DATA / "broken"


def only_issue(name: str):
    report = check_codebook(BROKEN / name)
    assert len(report.issues) == 1, report.issues
    issue = report.issues[0]
    assert issue.file == str(BROKEN / name)
    return issue


@pytest.mark.parametrize("path", sorted(CODEBOOKS_DIR.glob("*.yaml")), ids=lambda p: p.name)
def test_shipped_codebooks_pass_every_check(path):
    report = check_codebook(path)
    assert report.ok, [str(i) for i in report.issues]
    assert len(load_codebook(path)) > 0


def test_the_shipped_codebooks_exist():
    names = {p.stem for p in CODEBOOKS_DIR.glob("*.yaml")}
    assert {"shared_leadership", "template"} <= names


def test_valid_file_has_no_issues_and_nodes_know_their_lines():
    assert check_codebook(DATA / "valid.yaml").ok
    codebook = load_codebook(DATA / "valid.yaml")
    assert codebook.node("barriers").line == 6
    assert codebook.node("barriers.time").line == 12
    assert codebook.node("barriers.culture.hierarchy").depth == 2
    assert codebook.theme_of("barriers.culture.hierarchy") == "barriers"
    assert codebook.node("barriers.culture.language").name == "Sprache und Begriffe (Fachjargon)"
    assert codebook.title == "Test study" and codebook.version == "2"


def test_yaml_syntax_error_names_the_line_where_the_quote_opens():
    issue = only_issue("syntax_error.yaml")
    assert issue.line == 5
    assert "not valid YAML" in issue.message and "quote" in issue.message


def test_tabs_are_explained():
    issue = only_issue("tabs.yaml")
    assert issue.line == 4
    assert "spaces, not tabs" in issue.message


def test_duplicate_id_points_at_both_lines():
    issue = only_issue("duplicate_id.yaml")
    assert (issue.line, issue.node_id) == (8, "a.one")
    assert "used twice (first at line 6)" in issue.message


def test_missing_id_suggests_one_from_the_name():
    issue = only_issue("missing_id.yaml")
    assert issue.line == 6 and issue.node_id is None
    assert "missing id" in issue.message and "no_id_here" in issue.message


def test_missing_name():
    issue = only_issue("missing_name.yaml")
    assert (issue.line, issue.node_id) == (5, "b")
    assert "missing name" in issue.message


def test_unknown_fields_get_did_you_mean():
    report = check_codebook(BROKEN / "unknown_field.yaml")
    messages = {i.line: i.message for i in report.issues}
    assert "did you mean 'definition'?" in messages[5]
    assert "did you mean 'color'?" in messages[6]
    assert all(i.node_id == "a" for i in report.issues)


def test_id_with_spaces():
    issue = only_issue("id_spaces.yaml")
    assert issue.node_id == "my code" and issue.line == 3
    assert "contains spaces" in issue.message and "'my_code'" in issue.message


def test_id_with_upper_case():
    issue = only_issue("id_upper.yaml")
    assert issue.node_id == "Barriers"
    assert "upper-case" in issue.message and "'barriers'" in issue.message


def test_invalid_regular_expression_names_the_keyword_line():
    issue = only_issue("bad_regex.yaml")
    assert (issue.line, issue.node_id) == (7, "a")
    assert "re:(unclosed group" in issue.message and "not a valid regular expression" in issue.message


def test_text_where_a_list_belongs():
    issue = only_issue("wrong_type.yaml")
    assert (issue.line, issue.node_id) == (5, "a")
    assert "'examples' must be a list" in issue.message


def test_only_child_repeating_its_parent_is_a_warning():
    issue = only_issue("only_child.yaml")
    assert issue.severity == "warning" and issue.node_id == "a.time"
    assert "only child" in issue.message
    assert len(load_codebook(BROKEN / "only_child.yaml")) == 2  # a warning does not stop loading


def test_bad_colour():
    issue = only_issue("bad_color.yaml")
    assert "#rrggbb" in issue.message and issue.severity == "error"


def test_colour_swallowed_as_a_comment_is_explained():
    issue = only_issue("color_comment.yaml")
    assert issue.severity == "warning" and "comment" in issue.message


def test_a_field_written_twice():
    issue = only_issue("duplicate_field.yaml")
    assert issue.line == 6 and "appears twice" in issue.message


def test_no_codes_list():
    issue = only_issue("no_codes.yaml")
    assert "codes:" in issue.message


def test_every_problem_is_reported_at_once_in_line_order():
    report = check_codebook(BROKEN / "many_problems.yaml")
    assert [i.line for i in report.issues] == [3, 5, 6, 7, 8, 11]
    assert len(report.errors) == 6 and not report.ok
    assert isinstance(report, CheckReport)


def test_loading_stops_on_errors_with_a_one_line_summary():
    with pytest.raises(CodebookError) as caught:
        load_codebook(BROKEN / "many_problems.yaml")
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith(f"{BROKEN / 'many_problems.yaml'}:3 (Alpha): id 'Alpha' has upper-case")
    assert "and 5 more problems" in message and "slqual codebook check" in message


def test_empty_file():
    with pytest.raises(CodebookError, match="empty"):
        parse_codebook("", "x.yaml")


def test_wrong_types_for_node_and_children():
    text = "codes:\n  - just text\n  - id: a\n    name: A\n    children: nope\n    name2: x\n"
    with pytest.raises(CodebookError) as caught:
        parse_codebook(text, "x.yaml")
    assert "x.yaml:2" in str(caught.value)
    from slqual.codebook.checks import check_text

    _, issues = check_text(text, "x.yaml")
    messages = " ".join(i.message for i in issues)
    assert "'children' must be a list" in messages and "unknown field 'name2'" in messages


def test_a_broken_character_escape_is_reported_where_it_is():
    from slqual.codebook.checks import check_text

    text = 'title: "T\\udc00"\ncodes:\n  - id: a\n    name: "x\\ud800y"\n    examples:\n      - "\\ud83d"\n'
    _, issues = check_text(text, "x.yaml")
    assert [(i.line, i.node_id, i.message.split(" (")[0]) for i in issues] == [
        (1, None, "'title' holds a broken character"),
        (4, "a", "'name' holds a broken character"),
        (6, "a", "'examples' holds a broken character"),
    ]


def test_number_id_and_yes_no_name():
    from slqual.codebook.checks import check_text

    _, issues = check_text("codes:\n  - id: 12\n    name: yes\n", "x.yaml")
    messages = [i.message for i in issues]
    assert any("put it in quotes" in m and "id 12" in m for m in messages)
    assert any("'name' must be text" in m for m in messages)


def test_deeply_nested_yaml_fails_cleanly(tmp_path):
    path = tmp_path / "deep.yaml"
    path.write_text("codes: " + "[" * 5000 + "]" * 5000 + "\n")
    report = check_codebook(path)
    assert len(report.issues) == 1
    assert "nested" in report.issues[0].message or "not valid YAML" in report.issues[0].message


def test_too_many_levels_of_children(tmp_path):
    lines, indent = ["codes:"], ""
    for level in range(MAX_DEPTH + 3):
        lines += [f"{indent}  - id: n{level}", f"{indent}    name: N{level}", f"{indent}    children:"]
        indent += "    "
    lines[-1] = lines[-1].replace("children:", "definition: leaf")
    path = tmp_path / "levels.yaml"
    path.write_text("\n".join(lines) + "\n")
    report = check_codebook(path)
    assert any(f"more than {MAX_DEPTH} levels" in i.message for i in report.issues)


def test_too_many_nodes_via_aliases_stops_early(tmp_path):
    # Anchors and aliases can make a small file describe a huge tree: the walk stops at the limit.
    rows = ["title: t", "codes:"]
    rows.append("  - &n {id: x, name: X, children: [" + ", ".join(["{id: y, name: Y}"] * 5) + "]}")
    rows += ["  - *n"] * (MAX_NODES // 6 + 5)
    path = tmp_path / "many.yaml"
    path.write_text("\n".join(rows) + "\n")
    report = check_codebook(path)
    # Every alias repeats ids, so the check stops at its limit on problems before the limit on codes.
    assert len(report.issues) == MAX_ISSUES + 1
    assert report.issues[-1].message == (
        f"more than {MAX_ISSUES} problems; the check stopped here: fix these and check again"
    )


def test_too_many_codes_stops_the_walk(tmp_path):
    rows = ["title: t", "codes:"] + [f"  - {{id: c{i}, name: C}}" for i in range(MAX_NODES + 5)]
    path = tmp_path / "many.yaml"
    path.write_text("\n".join(rows) + "\n")
    report = check_codebook(path)
    assert [i.message for i in report.issues] == [
        f"more than {MAX_NODES:,} codes; this is too large to be a codebook"
    ]


def test_huge_file_is_refused_with_a_clear_message(tmp_path):
    path = tmp_path / "huge.yaml"
    path.write_text("# " + "x" * (MAX_BYTES + 10) + "\n")
    with pytest.raises(CodebookError, match="too large"):
        check_codebook(path)


def test_unsafe_yaml_tags_are_not_executed():
    with pytest.raises(CodebookError, match="tag"):
        parse_codebook("codes: !!python/object/apply:os.system ['echo hi']\n", "x.yaml")


def test_missing_file_and_folder(tmp_path):
    with pytest.raises(CodebookError, match="not found"):
        check_codebook(tmp_path / "nope.yaml")
    with pytest.raises(CodebookError, match="folder"):
        check_codebook(tmp_path)


@pytest.mark.parametrize(
    ("code_id", "ok"),
    [
        ("a", True),
        ("a.b_c-d", True),
        ("führung.ärger", True),
        ("A", False),
        ("a b", False),
        ("a..b", False),
        (".a", False),
        ("a/b", False),
    ],
)
def test_id_rules(code_id, ok):
    assert (id_problem(code_id) is None) is ok


def test_slugify_keeps_letters_of_any_script():
    assert slugify("Time & Money!") == "time_money"
    assert slugify("Ärger und Wut") == "ärger_und_wut"
    assert slugify("领导力") == "领导力"
    assert slugify("***") == ""


def test_a_codebook_saved_as_utf16_is_named_as_such(tmp_path):
    path = tmp_path / "codebook.yaml"
    path.write_bytes((DATA / "valid.yaml").read_text(encoding="utf-8").encode("utf-16"))
    with pytest.raises(
        CodebookError, match=r"codebook.yaml: saved as UTF-16 \('Unicode'\) text; save it as UTF-8"
    ):
        check_codebook(path)


def test_a_codebook_in_windows_1252_names_the_line(tmp_path):
    path = tmp_path / "codebook.yaml"
    text = "title: T\ncodes:\n  - id: cafe\n    name: Caf\u00e9 \u2013 talk\n"
    path.write_bytes(text.encode("cp1252"))
    with pytest.raises(CodebookError, match=r"codebook.yaml:4: not UTF-8 text .*save the file as UTF-8"):
        load_codebook(path)


def test_an_id_yaml_reads_as_a_date_or_number_is_shown_as_written(tmp_path):
    path = tmp_path / "cb.yaml"
    path.write_text("title: T\ncodes:\n  - id: 2024-01-01\n    name: A\n  - id: 12\n    name: B\n")
    messages = [(i.line, i.node_id, i.message) for i in check_codebook(path).issues]
    assert messages == [
        (3, "2024-01-01", "id 2024-01-01 is read as a date; put it in quotes: id: '2024-01-01'"),
        (5, "12", "id 12 is read as a number; put it in quotes: id: '12'"),
    ]
