"""suggest train/apply: honest grouped cross-validation, signed models, stale and foreign models refused."""

from __future__ import annotations

import json
import shutil

import numpy as np
import pytest
from suggest_fixtures import SIGNALS, make_suggest_project

from slqual.cli.main import app
from slqual.coding.pseudo import is_pseudo, pseudo_kind
from slqual.codings import read_coding
from slqual.errors import ReportError, SuggestError
from slqual.project import open_project
from slqual.suggest.apply import apply_model
from slqual.suggest.train import best_threshold, grouped_folds, model_path, scores, train


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    """A project with a model trained on its consensus (trained once for the module)."""
    project = make_suggest_project(tmp_path_factory.mktemp("trained"))
    result = train(project, "consensus")
    return project, result


@pytest.fixture
def copy(trained, tmp_path):
    """A private copy of the trained project, for tests that change it."""
    project, _ = trained
    root = tmp_path / "study"
    shutil.copytree(project.root, root)
    return open_project(root)


def test_training_on_clear_signals_scores_high_for_every_code_and_theme(trained):
    _, result = trained
    by_code = {s.code: s for s in result.scores}
    assert set(SIGNALS) <= set(by_code)
    assert {"barriers", "motivation"} <= set(by_code)  # themes, rolled up from their codes
    assert by_code["barriers"].theme and not by_code["barriers.time_pressure"].theme
    for score in result.scores:
        assert score.f1 >= 0.9 and score.kappa >= 0.9, score
    assert by_code["barriers.time_pressure"].positives == 20
    assert by_code["barriers"].positives == 40
    assert (result.documents, result.folds, result.segments) == (10, 5, 120)


def test_too_rare_codes_are_skipped_listed_and_never_scored(copy):
    coding = read_coding(copy.coder_path("consensus"))
    rare = coding["segment_id"].isin(["P01-0014", "P02-0014", "P03-0014"])
    coding.loc[rare, "code"] = "motivation.duty_to_team"
    coding.to_csv(copy.coder_path("consensus"), index=False)
    result = train(copy, "consensus")
    skipped = {s.code: s for s in result.skipped}
    assert skipped["motivation.duty_to_team"].positives == 3
    assert "fewer than 5" in skipped["motivation.duty_to_team"].reason
    assert "motivation.duty_to_team" not in {s.code for s in result.scores}


def test_the_grouped_split_never_puts_one_document_in_train_and_test():
    documents = np.array([f"D{i % 7}" for i in range(100)])
    folds = grouped_folds(documents)
    assert len(folds) == 5
    tested = []
    for train_rows, test_rows in folds:
        assert not set(documents[train_rows]) & set(documents[test_rows])
        tested.extend(test_rows)
    assert sorted(tested) == list(range(100))  # every segment is tested exactly once


def test_thresholds_and_scores():
    truth = np.array([True, True, False, False, False])
    assert best_threshold(np.array([0.9, 0.6, 0.5, 0.1, 0.0]), truth) == 0.6
    precision, recall, f1, kappa = scores(np.array([True, False, False, False, False]), truth)
    assert (precision, recall, round(f1, 3)) == (1.0, 0.5, 0.667)
    assert round(kappa, 3) == 0.545
    assert scores(np.zeros(5, bool), truth)[0] is None  # no suggestion: precision undefined, not 0


def test_suggestions_land_on_the_right_segments_as_the_pseudo_coder_model(trained, copy):
    result = apply_model(copy)
    model = read_coding(copy.coder_path("model"))
    consensus = read_coding(copy.coder_path("consensus"))
    assert is_pseudo(model) and pseudo_kind(model) == "model"
    assert set(model["segment_id"]) == set(consensus["segment_id"])  # every segment has a row
    pairs = set(zip(model["segment_id"], model["code"], strict=True))
    truth = set(zip(consensus["segment_id"], consensus["code"], strict=True))
    assert len(pairs ^ truth) <= 3  # out-of-fold suggestions, almost all right
    assert model.loc[model["code"] != "", "memo"].str.match(r"model suggestion: p=0\.\d\d ").all()
    assert result.cross_validated == 120 and result.trained_on == "consensus"
    assert "consensus" not in set(model["coder"])


def test_training_on_a_pseudo_coder_is_refused(copy):
    apply_model(copy)
    with pytest.raises(SuggestError, match="learns only from people's coding"):
        train(copy, "model")


def test_apply_never_writes_into_a_persons_file(copy):
    with pytest.raises(SuggestError, match="team's own coding"):
        apply_model(copy, into="consensus")
    shutil.copy(copy.coder_path("consensus"), copy.coder_path("reviewer1"))
    with pytest.raises(SuggestError, match="suggestions never go into a person's file"):
        apply_model(copy, into="reviewer1")


def test_a_stale_model_is_refused_after_the_code_tree_changes(copy):
    path = copy.codebook_path
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("definition: Why people lead.", "definition: Why anyone leads."), "utf-8")
    apply_model(copy)  # a definition edit leaves the codes as they were: the model still applies
    path.write_text(text + "  - id: support\n    name: Support\n", encoding="utf-8")
    with pytest.raises(SuggestError, match="earlier codebook.*slqual suggest train --coder consensus"):
        apply_model(copy)


def test_a_tampered_model_file_is_refused_before_it_is_read(copy):
    path = model_path(copy)
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))
    with pytest.raises(SuggestError, match="not written by this project"):
        apply_model(copy)


def test_a_model_from_another_project_is_refused(copy, tmp_path):
    other = make_suggest_project(tmp_path / "other")
    target = model_path(other)
    target.parent.mkdir(parents=True)
    shutil.copy(model_path(copy), target)
    shutil.copy(str(model_path(copy)) + ".sig", str(target) + ".sig")
    with pytest.raises(SuggestError, match="not written by this project"):
        apply_model(other)


def test_training_needs_two_documents(tmp_path):
    project = make_suggest_project(tmp_path)
    coding = read_coding(project.coder_path("consensus"))
    coding[coding["segment_id"].str.startswith("P01")].to_csv(project.coder_path("consensus"), index=False)
    with pytest.raises(SuggestError, match="at least 2 documents"):
        train(project, "consensus")


def test_report_refuses_a_machine_written_consensus_unless_named(copy):
    from slqual.reports.inputs import load_inputs
    from slqual.reports.model import ReportOptions

    apply_model(copy)
    shutil.copy(copy.coder_path("model"), copy.coder_path("consensus"))
    with pytest.raises(ReportError, match="written by a machine.*--coder consensus"):
        load_inputs(copy, ReportOptions())
    assert load_inputs(copy, ReportOptions(coder="consensus")).coder == "consensus"


def test_cli_train_and_apply_json_is_the_library_result(copy, runner):
    result = runner.invoke(app, ["suggest", "train", "-p", str(copy.root), "--with-question", "-f", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["with_question"] and data["coder"] == "consensus"
    assert {"code", "positives", "threshold", "precision", "recall", "f1", "kappa"} <= set(data["scores"][0])
    applied = runner.invoke(
        app, ["suggest", "apply", "-p", str(copy.root), "--threshold", "0.5", "-f", "json"]
    )
    assert applied.exit_code == 0, applied.output
    assert json.loads(applied.stdout)["codes"][0]["threshold"] == 0.5


def test_cli_stale_model_is_one_line_and_exit_2(copy, runner):
    path = copy.codebook_path
    path.write_text(path.read_text(encoding="utf-8") + "  - id: support\n    name: Support\n", "utf-8")
    result = runner.invoke(app, ["suggest", "apply", "-p", str(copy.root)])
    assert result.exit_code == 2
    assert "earlier codebook" in result.output


def test_code_suggest_preselects_and_enter_confirms(copy):
    from slqual.coding.session import coding_session

    apply_model(copy)
    with coding_session(copy, "reviewer2", suggest="model") as (session, _):
        first = session.screen()
        assert first.suggested == ("barriers.time_pressure",)
        assert session.handle("").kind == "saved"  # Enter accepts the suggestion
        assert session.screen().suggested == ("motivation.not_career_goal",)
        assert session.handle("duty").kind == "saved"  # typing replaces it
    rows = read_coding(copy.coder_path("reviewer2"))
    assert list(zip(rows["segment_id"], rows["code"], strict=True)) == [
        ("P01-0002", "barriers.time_pressure"),
        ("P01-0004", "motivation.duty_to_team"),
    ]
    assert not rows["memo"].str.startswith("model suggestion").any()


def test_code_suggest_refuses_a_persons_file(copy):
    from slqual.coding.session import coding_session
    from slqual.errors import CodingsError

    with (
        pytest.raises(CodingsError, match="not a machine's suggestions"),
        coding_session(copy, "reviewer2", suggest="consensus"),
    ):
        pass
