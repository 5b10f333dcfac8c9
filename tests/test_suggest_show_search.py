"""slqual show (read back a code) and slqual search (segments like a phrase or a segment)."""

from __future__ import annotations

import json

import pytest
from suggest_fixtures import make_suggest_project

from slqual.cli.main import app
from slqual.codings import read_coding
from slqual.errors import CodebookError, ProjectError, SuggestError
from slqual.search import search
from slqual.show import quote_spans, show, to_markdown

UNIQUE = "The stethoscope budget was cut by the finance committee in March."


@pytest.fixture
def project(tmp_path):
    project = make_suggest_project(tmp_path)
    with open(project.segments_path, "a", encoding="utf-8") as handle:
        handle.write(f'P10-0099,P10,P10,99,P10,participant,,,"{UNIQUE}"\n')
    return project


def _coded(project, coder, codes):
    frame = read_coding(project.coder_path(coder))
    return sorted(frame.loc[frame["code"].isin(codes), "segment_id"].unique())


def _ids(result):
    return sorted(s.segment_id for g in result.groups for s in g.segments)


def test_show_lists_exactly_the_coded_segments(project):
    result = show(project, "barriers.time_pressure")
    assert _ids(result) == _coded(project, "consensus", ["barriers.time_pressure"])
    assert result.total == 20 and result.kind == "code" and result.coders == ("consensus",)
    assert [g.value for g in result.groups] == ["clinical", "non-clinical"]


def test_show_a_theme_takes_every_code_under_it(project):
    result = show(project, "barriers")
    under = ["barriers", "barriers.time_pressure", "barriers.bureaucracy", "barriers.bureaucracy.meetings"]
    assert result.kind == "theme" and set(result.codes) == set(under)
    assert _ids(result) == _coded(project, "consensus", under)


def test_show_groups_filters_and_leaves_out_pseudo_coders_unless_named(project):
    frame = read_coding(project.coder_path("consensus"))
    frame["memo"] = "keyword pre-coding: matched 'x'"
    frame["coder"] = "auto"
    frame.to_csv(project.coder_path("auto"), index=False)
    assert show(project, "meetings").coders == ("consensus",)
    named = show(project, "meetings", coders=["auto"])
    assert named.coders == ("auto",) and named.total == 20
    clinical = show(project, "meetings", by="role", where=(("group", "clinical"),))
    assert clinical.total == 10 and all(g.value.startswith("role") for g in clinical.groups)


def test_show_memos_and_marked_quotes(project):
    frame = read_coding(project.coder_path("consensus"))
    first = frame.index[frame["code"] == "barriers.time_pressure"][0]
    frame.loc[first, ["memo", "quote"]] = ["busy theme", "no time ... rushed"]
    frame.to_csv(project.coder_path("consensus"), index=False)
    segment = show(project, "time_pressure").groups[0].segments[0]
    assert segment.memos == ("consensus: busy theme",)
    assert [segment.text[a:b] for a, b in quote_spans(segment.text, segment.quote)] == ["no time", "rushed"]
    assert "**no time**" in to_markdown(show(project, "time_pressure"))


def test_show_a_mistyped_code_says_did_you_mean(project):
    with pytest.raises(
        CodebookError, match="no code or theme 'barriers.time_presure'; did you mean barriers.time_pressure"
    ):
        show(project, "barriers.time_presure")
    with pytest.raises(ProjectError, match="no participant attribute 'site'"):
        show(project, "barriers", by="site")
    with pytest.raises(ProjectError, match="no participant has group=dental"):
        show(project, "barriers", where=(("group", "dental"),))


@pytest.mark.parametrize("fmt", ["json", "csv", "md"])
def test_show_cli_formats(project, runner, fmt, tmp_path):
    args = ["show", "meetings", "-p", str(project.root), "-f", fmt]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    if fmt == "json":
        expected = json.loads(json.dumps(show(project, "meetings").to_dict()))
        assert json.loads(result.stdout) == expected
    elif fmt == "csv":
        assert result.stdout.splitlines()[0].startswith("group,segment_id,participant_id,speaker")
        assert len(result.stdout.splitlines()) == 21
    out = tmp_path / f"out.{fmt}"
    assert runner.invoke(app, [*args, "-o", str(out)]).exit_code == 0
    assert out.read_text(encoding="utf-8").strip() == result.stdout.strip()


def test_show_cli_table_and_a_wrong_code(project, runner):
    result = runner.invoke(app, ["show", "meetings", "-p", str(project.root)])
    assert result.exit_code == 0 and "P01-0006" in result.stdout
    wrong = runner.invoke(app, ["show", "meeting", "-p", str(project.root)])
    assert wrong.exit_code == 2 and "did you mean" in wrong.output


def test_search_ranks_an_exact_paraphrase_first_and_caches_the_index(project):
    first = search(project, "the finance committee cut the stethoscope budget in March")
    assert first.hits[0].segment_id == "P10-0099" and not first.cached
    assert {"stethoscope", "finance", "budget"} <= set(first.hits[0].matched)
    again = search(project, "stethoscope budget", top=3)
    assert again.cached and again.hits[0].segment_id == "P10-0099" and len(again.hits) <= 3
    assert list((project.internal_dir / "search").glob("index-*.npz"))


def test_search_like_a_segment_and_within_a_code(project):
    result = search(project, like="P01-0002", top=5, code="barriers")
    assert "P01-0002" not in [h.segment_id for h in result.hits]
    assert all(h.codes == ("barriers.time_pressure",) for h in result.hits)
    assert result.hits[0].group in ("clinical", "non-clinical")


def test_search_rebuilds_when_segments_change_and_refuses_a_tampered_index(project):
    search(project, "budget")
    with open(project.segments_path, "a", encoding="utf-8") as handle:
        handle.write('P10-0100,P10,P10,100,P10,participant,,,"A brand new budget story."\n')
    assert not search(project, "budget").cached
    index = next((project.internal_dir / "search").glob("index-*.npz"))
    index.write_bytes(index.read_bytes()[:-10] + b"0123456789")
    with pytest.raises(SuggestError, match="not written by this project"):
        search(project, "budget")


def test_search_input_errors(project):
    with pytest.raises(SuggestError, match="give a phrase"):
        search(project)
    with pytest.raises(SuggestError, match="no participant segment 'P99-0001'"):
        search(project, like="P99-0001")


def test_search_cli_json_is_the_library_result(project, runner):
    result = runner.invoke(
        app, ["search", "stethoscope", "-p", str(project.root), "-f", "json", "--top", "2"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["hits"][0]["segment_id"] == "P10-0099" and data["cached"] is False
    table = runner.invoke(app, ["search", "stethoscope", "-p", str(project.root)])
    assert table.exit_code == 0 and "P10-0099" in table.stdout
