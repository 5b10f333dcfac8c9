"""slqual reconcile: consensus from agreed codes plus recorded decisions."""

from __future__ import annotations

import pandas as pd
import pytest

from slqual.cli.main import app
from slqual.codings import read_coding
from slqual.errors import CodingsError
from slqual.reconcile import Undecided, reconcile
from slqual.segments import SEGMENT_COLUMNS

B, T, ISL = "barriers.bureaucracy", "barriers.time_pressure", "barriers.isolation"


def _segments(project, n=4):
    rows = [
        {
            "segment_id": f"P01-{i:04d}",
            "document": "P01",
            "participant_id": "P01",
            "seq": i,
            "speaker": "P01",
            "speaker_role": "participant",
            "start": "",
            "end": "",
            "text": f"answer {i}",
        }
        for i in range(1, n + 1)
    ]
    pd.DataFrame(rows, columns=SEGMENT_COLUMNS).to_csv(project.segments_path, index=False)


def _coder(project, name, rows):
    frame = pd.DataFrame([{"segment_id": s, "code": c, "coder": name, "exemplar": e} for s, c, e in rows])
    frame.to_csv(project.coder_path(name), index=False)


@pytest.fixture
def coded(project):
    _segments(project)
    _coder(
        project,
        "r1",
        [
            ("P01-0001", B, ""),
            ("P01-0002", T, "1"),
            ("P01-0002", ISL, ""),
            ("P01-0003", "", ""),
            ("P01-0004", B, ""),
        ],
    )
    _coder(project, "r2", [("P01-0001", B, ""), ("P01-0002", T, ""), ("P01-0003", ISL, "")])
    return project


def _decisions(tmp_path, rows):
    path = tmp_path / "decisions.csv"
    pd.DataFrame(rows, columns=["segment_id", "code", "r1", "r2", "decision", "reason"]).to_csv(
        path, index=False
    )
    return path


def test_open_disagreements_stop_and_write_nothing(coded):
    result = reconcile(coded, ["r1", "r2"])
    assert sorted(result.pending) == [("P01-0002", ISL), ("P01-0003", ISL)]
    assert result.written is None
    assert not coded.coder_path("consensus").exists()
    assert result.not_coded_by_all == 1  # P01-0004: only r1 has coded it


def test_recorded_decisions_settle_disagreements(coded, tmp_path):
    path = _decisions(
        tmp_path,
        [("P01-0002", ISL, 1, 0, "keep", "explicit"), ("P01-0003", ISL, 0, 1, "drop", "off topic")],
    )
    result = reconcile(coded, ["r1", "r2"], decisions_file=path)
    assert result.decided == 2 and not result.pending
    consensus = read_coding(coded.coder_path("consensus"))
    pairs = set(zip(consensus["segment_id"], consensus["code"], strict=True))
    assert pairs == {("P01-0001", B), ("P01-0002", T), ("P01-0002", ISL), ("P01-0003", "")}
    assert set(consensus["coder"]) == {"consensus"}
    assert _rows(coded)[("P01-0002", ISL)]["reason"] == "explicit"
    assert set(consensus.loc[consensus["exemplar"] == "1", "segment_id"]) == {"P01-0002"}
    log = pd.read_csv(result.log_path, dtype=str, keep_default_na=False)
    assert list(log["decision"]) == ["keep", "drop"] and list(log["source"]) == ["decision", "decision"]


def test_decisions_saved_by_a_spreadsheet_with_semicolons_are_read(coded, tmp_path):
    path = tmp_path / "decisions.csv"
    path.write_text(
        "\ufeffsegment_id;code;r1;r2;decision;reason\n"
        f"P01-0002;{ISL};1;0;keep;explicit, and clear\nP01-0003;{ISL};0;1;drop;off topic\n",
        encoding="utf-8",
    )
    result = reconcile(coded, ["r1", "r2"], decisions_file=path)
    assert result.decided == 2 and not result.pending
    assert _rows(coded)[("P01-0002", ISL)]["reason"] == "explicit, and clear"


def test_a_damaged_decisions_workbook_names_the_file(coded, tmp_path):
    path = tmp_path / "decisions.xlsx"
    path.write_bytes(b"PK\x03\x04 not really a workbook")
    with pytest.raises(CodingsError, match=r"decisions\.xlsx: cannot be read as a CSV or Excel file"):
        reconcile(coded, ["r1", "r2"], decisions_file=path)


@pytest.mark.parametrize(("policy", "expected"), [(Undecided.keep, {ISL}), (Undecided.drop, set())])
def test_undecided_policy(coded, policy, expected):
    reconcile(coded, ["r1", "r2"], undecided=policy)
    consensus = read_coding(coded.coder_path("consensus"))
    second = set(consensus.loc[consensus["segment_id"] == "P01-0002", "code"])
    assert second == {T} | expected


def test_previous_consensus_is_kept(coded):
    reconcile(coded, ["r1", "r2"], undecided=Undecided.keep)
    first = coded.coder_path("consensus").read_bytes()
    result = reconcile(coded, ["r1", "r2"], undecided=Undecided.drop)
    assert result.kept_previous is not None and result.kept_previous.read_bytes() == first


def test_bad_decision_words_are_listed_with_rows(coded, tmp_path):
    path = _decisions(tmp_path, [("P01-0002", ISL, 1, 0, "maybe", ""), ("P01-0003", ISL, 0, 1, "hmm", "")])
    with pytest.raises(CodingsError, match=r"row 2: decision 'maybe'.*row 3: decision 'hmm'"):
        reconcile(coded, ["r1", "r2"], decisions_file=path)
    assert not coded.coder_path("consensus").exists()


def test_a_decision_for_no_disagreement_is_refused(coded, tmp_path):
    path = _decisions(tmp_path, [("P01-0001", B, 1, 1, "drop", "")])
    with pytest.raises(CodingsError, match="not a disagreement"):
        reconcile(coded, ["r1", "r2"], decisions_file=path, undecided=Undecided.keep)


def test_unknown_codes_stop_reconcile(coded):
    _coder(coded, "r3", [("P01-0001", "no.such.code", "")])
    with pytest.raises(CodingsError, match="no.such.code"):
        reconcile(coded, ["r1", "r3"])


def test_cli_exit_1_while_disagreements_are_open(coded, runner):
    result = runner.invoke(app, ["reconcile", "r1", "r2", "-p", str(coded.root)])
    assert result.exit_code == 1
    assert "have no decision" in result.output


def test_cli_writes_consensus_with_a_policy(coded, runner):
    result = runner.invoke(app, ["reconcile", "r1", "r2", "--undecided", "keep", "-p", str(coded.root)])
    assert result.exit_code == 0, result.output
    assert coded.coder_path("consensus").is_file()


def test_cli_names_the_existing_coders(coded, runner):
    result = runner.invoke(app, ["reconcile", "r1", "nobody", "-p", str(coded.root)])
    assert result.exit_code == 2
    assert "coders: r1, r2" in result.output


# --- provenance, memos, locks and stray decisions -------------------------------------------


def _rows(project, into="consensus"):
    frame = pd.read_csv(project.coder_path(into), dtype=str, keep_default_na=False)
    return {(r["segment_id"], r["code"]): r for r in frame.to_dict("records")}


def test_consensus_rows_say_how_they_came_to_be(coded, tmp_path):
    path = _decisions(
        tmp_path,
        [("P01-0002", ISL, 1, 0, "keep", "explicit"), ("P01-0003", ISL, 0, 1, "drop", "off topic")],
    )
    reconcile(coded, ["r1", "r2"], decisions_file=path)
    rows = _rows(coded)
    assert list(next(iter(rows.values())))[-3:] == ["source", "decided_by", "reason"]
    agreed = rows[("P01-0001", B)]
    assert (agreed["source"], agreed["decided_by"], agreed["reason"]) == ("agreed", "r1, r2", "")
    kept = rows[("P01-0002", ISL)]
    assert (kept["source"], kept["decided_by"], kept["reason"]) == (
        "decided",
        "team (decisions.csv)",
        "explicit",
    )
    # every code of P01-0003 was dropped by the team: its "no code applies" row says so
    none = rows[("P01-0003", "")]
    assert none["source"] == "decided" and none["decided_by"] == "team (decisions.csv)"
    assert none["reason"] == f"dropped {ISL} (off topic)"


def test_decided_by_comes_from_the_decisions_file_when_the_team_filled_it(coded, tmp_path):
    path = tmp_path / "decisions.csv"
    pd.DataFrame(
        [
            ("P01-0002", ISL, "keep", "explicit", "AB and CD"),
            ("P01-0003", ISL, "keep", "clear", ""),
        ],
        columns=["segment_id", "code", "decision", "reason", "decided_by"],
    ).to_csv(path, index=False)
    reconcile(coded, ["r1", "r2"], decisions_file=path)
    rows = _rows(coded)
    assert rows[("P01-0002", ISL)]["decided_by"] == "AB and CD"
    assert rows[("P01-0003", ISL)]["decided_by"] == "team (decisions.csv)"


@pytest.mark.parametrize("policy", [Undecided.keep, Undecided.drop])
def test_policy_rows_name_the_policy(coded, policy):
    reconcile(coded, ["r1", "r2"], undecided=policy)
    rows = _rows(coded)
    if policy is Undecided.keep:
        row = rows[("P01-0002", ISL)]
    else:
        row = rows[("P01-0003", "")]
        assert row["reason"] == f"dropped {ISL} (no decision recorded)"
    assert (row["source"], row["decided_by"]) == ("policy", f"--undecided {policy.value}")
    assert rows[("P01-0002", T)]["source"] == "agreed"


def test_a_segment_all_coders_left_uncoded_is_agreed(project):
    _segments(project)
    _coder(project, "r1", [("P01-0001", "", "")])
    _coder(project, "r2", [("P01-0001", "", "")])
    reconcile(project, ["r1", "r2"])
    row = _rows(project)[("P01-0001", "")]
    assert (row["source"], row["decided_by"], row["reason"]) == ("agreed", "r1, r2", "")


def test_coders_memos_survive_into_the_consensus(project):
    _segments(project)
    rows = [
        {"segment_id": "P01-0001", "code": B, "coder": "r1", "memo": "forms, forms"},
        {"segment_id": "P01-0002", "code": T, "coder": "r1", "memo": "same"},
        {"segment_id": "P01-0003", "code": "", "coder": "r1", "memo": "only mine"},
    ]
    pd.DataFrame(rows).to_csv(project.coder_path("r1"), index=False)
    rows = [
        {"segment_id": "P01-0001", "code": B, "coder": "r2", "memo": "red tape"},
        {"segment_id": "P01-0002", "code": T, "coder": "r2", "memo": "same"},
        {"segment_id": "P01-0003", "code": "", "coder": "r2", "memo": ""},
    ]
    pd.DataFrame(rows).to_csv(project.coder_path("r2"), index=False)
    reconcile(project, ["r1", "r2"])
    consensus = _rows(project)
    assert consensus[("P01-0001", B)]["memo"] == "r1: forms, forms | r2: red tape"
    assert consensus[("P01-0002", T)]["memo"] == "same"
    assert consensus[("P01-0003", "")]["memo"] == "r1: only mine"


def test_a_coding_session_keeps_the_provenance_columns(coded):
    from slqual.coding.store import Answer, CodingStore

    reconcile(coded, ["r1", "r2"], undecided=Undecided.keep)
    with CodingStore(coded, "consensus") as store:
        store.save(Answer("P01-0004", (B,)))
    rows = _rows(coded)
    assert rows[("P01-0001", B)]["source"] == "agreed"
    assert rows[("P01-0002", ISL)]["decided_by"] == "--undecided keep"
    assert rows[("P01-0004", B)]["source"] == ""  # coded by hand in the session
    frame = read_coding(coded.coder_path("consensus"), extra_columns=True)
    assert list(frame.columns)[-3:] == ["source", "decided_by", "reason"]


def test_reconcile_refuses_while_a_session_holds_the_consensus_lock(coded, runner):
    from slqual.coding.lock import acquire_lock

    lock = acquire_lock(coded, "consensus")  # as 'slqual code --coder consensus' does
    try:
        result = runner.invoke(app, ["reconcile", "r1", "r2", "--undecided", "keep", "-p", str(coded.root)])
    finally:
        lock.release()
    assert result.exit_code == 2, result.output
    assert "'consensus' is already coding in another session" in result.output
    assert "process" in result.output
    assert not coded.coder_path("consensus").exists()
    assert not list((coded.internal_dir / "reconcile").glob("*.csv"))


def test_reconcile_folds_a_killed_sessions_journal_first(coded):
    import json

    from slqual.coding.store import Answer, journal_path

    reconcile(coded, ["r1", "r2"], undecided=Undecided.keep)
    # A session coding the consensus was killed after journalling an answer, before folding it.
    journal = journal_path(coded, "consensus")
    journal.parent.mkdir(parents=True, exist_ok=True)
    answer = Answer("P01-0004", (T,), memo="typed before the kill", coded_at="2026-01-01T00:00:00Z")
    journal.write_text(json.dumps({"answer": answer.to_json()}) + "\n", encoding="utf-8")
    result = reconcile(coded, ["r1", "r2"], undecided=Undecided.drop)
    assert not journal.exists()  # folded, so no later session replays it over the new consensus
    assert "typed before the kill" in result.kept_previous.read_text(encoding="utf-8")
    assert any("journal" in note for note in result.notes)


def test_every_stray_decision_is_listed_with_its_row(coded, tmp_path):
    path = _decisions(
        tmp_path,
        [
            ("P01-0001", B, 1, 1, "drop", ""),
            ("P01-0002", ISL, 1, 0, "keep", ""),
            ("P01-0004", B, 1, "", "keep", ""),
        ],
    )
    with pytest.raises(CodingsError) as error:
        reconcile(coded, ["r1", "r2"], decisions_file=path, undecided=Undecided.keep)
    message = str(error.value)
    assert f"row 2 (P01-0001, {B})" in message and f"row 4 (P01-0004, {B})" in message
    assert "2 decision(s)" in message and "--force" in message
    assert not coded.coder_path("consensus").exists()


def test_cli_json_is_what_the_library_returned(coded, runner, tmp_path):
    import json

    path = _decisions(tmp_path, [("P01-0002", ISL, 1, 0, "keep", "explicit")])
    args = ["reconcile", "r1", "r2", "-d", str(path), "--undecided", "drop", "--dry-run"]
    result = runner.invoke(app, [*args, "-p", str(coded.root), "--format", "json"])
    assert result.exit_code == 0, result.output
    expected = reconcile(coded, ["r1", "r2"], decisions_file=path, undecided=Undecided.drop, dry_run=True)
    assert json.loads(result.stdout) == expected.to_dict()
    assert json.loads(result.stdout)["notes"] == []


def _quoted(project, name, rows):
    frame = pd.DataFrame([{"segment_id": s, "code": c, "coder": name, "quote": q} for s, c, q in rows])
    frame.to_csv(project.coder_path(name), index=False)


def test_the_consensus_keeps_the_quote_the_coders_agreed_on(project, tmp_path):
    _segments(project)
    _quoted(project, "r1", [("P01-0001", B, "answer"), ("P01-0002", T, "answer 2"), ("P01-0003", B, "x")])
    _quoted(project, "r2", [("P01-0001", B, "answer"), ("P01-0002", T, ""), ("P01-0003", B, "y")])
    reconcile(project, ["r1", "r2"])
    rows = read_coding(project.coder_path("consensus"))
    quotes = dict(zip(rows["segment_id"], rows["quote"], strict=True))
    # Both marked the same words; one marked and the other left it to the report; they differ.
    assert quotes == {"P01-0001": "answer", "P01-0002": "answer 2", "P01-0003": ""}


def test_a_quote_in_the_decisions_file_settles_it(project, tmp_path):
    _segments(project)
    _quoted(project, "r1", [("P01-0001", B, "answer"), ("P01-0001", T, "answer")])
    _quoted(project, "r2", [("P01-0001", B, "1")])
    path = tmp_path / "decisions.csv"
    pd.DataFrame(
        [["P01-0001", T, "1", "0", "keep", "fits", "answer 1"]],
        columns=["segment_id", "code", "r1", "r2", "decision", "reason", "quote"],
    ).to_csv(path, index=False)
    reconcile(project, ["r1", "r2"], decisions_file=path)
    rows = read_coding(project.coder_path("consensus"))
    quotes = dict(zip(rows["code"], rows["quote"], strict=True))
    assert quotes == {B: "", T: "answer 1"}
