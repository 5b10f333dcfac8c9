"""The shipped example study and codebooks: complete, loadable and as described."""

from __future__ import annotations

import shutil
from collections import Counter

import pandas as pd
import pytest
from conftest import EXAMPLE_STUDY

from slqual.codebook import load_codebook
from slqual.codings import read_coding
from slqual.participants import read_participants
from slqual.project import CODEBOOKS_DIR, init_project, load_settings

TRANSCRIPTS = EXAMPLE_STUDY / "transcripts"


@pytest.mark.parametrize("name", ["shared_leadership", "template"])
def test_shipped_codebooks_load(name):
    codebook = load_codebook(CODEBOOKS_DIR / f"{name}.yaml")
    assert len(codebook.themes) >= 2


def test_shared_leadership_codebook_has_the_four_themes_with_full_codes():
    codebook = load_codebook(CODEBOOKS_DIR / "shared_leadership.yaml")
    assert [t.id for t in codebook.themes] == ["motivation", "attitudes", "skills", "barriers"]
    assert [c.id for c in codebook.node("skills").children] == [
        "skills.understanding",
        "skills.empathy",
        "skills.knowledge_transfer",
    ]
    for leaf in codebook.leaves():
        assert leaf.definition and leaf.include and leaf.exclude, leaf.id
        assert leaf.examples and leaf.keywords, leaf.id


def test_example_participants_are_ten_clinical_and_ten_non_clinical():
    participants = read_participants(EXAMPLE_STUDY / "participants.csv")
    assert list(participants["participant_id"]) == [f"P{i:02d}" for i in range(1, 21)]
    assert Counter(participants["group"]) == {"clinical": 10, "non-clinical": 10}
    clinical_roles = Counter(participants.loc[participants["group"] == "clinical", "role"])
    assert clinical_roles == {"GP": 9, "Nurse": 1}
    assert {"role", "age_band", "organisation_type"} <= set(participants.columns)


def test_example_settings_load():
    settings = load_settings(EXAMPLE_STUDY / "slqual.yaml")
    assert settings.group_by == "group"
    assert settings.group_labels["clinical"] == "Clinical managers"


def test_example_transcripts_come_in_the_mixed_formats():
    files = sorted(p.name for p in TRANSCRIPTS.iterdir())
    assert [f.split(".")[0] for f in files] == [f"P{i:02d}" for i in range(1, 21)]
    suffixes = Counter(p.suffix for p in TRANSCRIPTS.iterdir())
    assert suffixes[".docx"] >= 3 and suffixes[".vtt"] >= 2 and suffixes[".txt"] >= 10
    for vtt in TRANSCRIPTS.glob("*.vtt"):
        text = vtt.read_text(encoding="utf-8")
        assert text.startswith("WEBVTT") and "<v " in text
    raw = {p.name: p.read_bytes() for p in TRANSCRIPTS.glob("*.txt")}
    assert any(b.startswith(b"\xef\xbb\xbf") and b"\r\n" in b for b in raw.values()), (
        "one UTF-8 BOM + CRLF file"
    )
    assert any(b.lstrip(b"\xef\xbb\xbf").startswith(b"[00:") for b in raw.values()), "one [00:03:12] file"


def test_example_plain_transcripts_have_realistic_lengths():
    for path in TRANSCRIPTS.glob("*.txt"):
        words = len(path.read_text(encoding="utf-8-sig").split())
        assert 1000 <= words <= 2600, (path.name, words)


@pytest.fixture(scope="module")
def ingested(tmp_path_factory):
    from slqual.ingest import ingest

    project = init_project(tmp_path_factory.mktemp("example") / "study")
    for name in ("slqual.yaml", "participants.csv"):
        shutil.copy(EXAMPLE_STUDY / name, project.root / name)
    from slqual.project import open_project

    project = open_project(project.root)
    ingest(project, TRANSCRIPTS)
    return project


def test_example_study_ingests_into_twenty_documents_with_groups(ingested):
    from slqual.segments import read_project_segments

    segments = read_project_segments(ingested)
    assert segments["document"].nunique() == 20
    participant_rows = segments[segments["speaker_role"] == "participant"]
    assert set(participant_rows["participant_id"]) == {f"P{i:02d}" for i in range(1, 21)}
    # every document has both the interviewer's questions and the participant's answers
    roles = segments.groupby("document")["speaker_role"].agg(set)
    assert all(r == {"interviewer", "participant"} for r in roles)


@pytest.mark.parametrize("coder", ["reviewer1", "reviewer2"])
def test_reviewer_codings_cover_every_participant_segment_and_every_code(ingested, coder):
    from slqual.segments import read_project_segments

    coding = read_coding(EXAMPLE_STUDY / "codings" / f"{coder}.csv")
    segments = read_project_segments(ingested)
    participant_ids = set(segments.loc[segments["speaker_role"] == "participant", "segment_id"])
    assert set(coding["segment_id"]) == participant_ids
    codebook = load_codebook(CODEBOOKS_DIR / "shared_leadership.yaml")
    used = set(coding["code"]) - {""}
    assert used <= set(codebook.ids())
    leaves = {leaf.id for leaf in codebook.leaves()}
    assert leaves <= used, f"codes never applied: {sorted(leaves - used)}"
    # a few exemplar quotes per theme
    exemplars = coding[(coding["exemplar"] == "1") & (coding["code"] != "")]
    per_theme = Counter(codebook.theme_of(c) for c in exemplars["code"])
    assert all(per_theme[t.id] >= 3 for t in codebook.themes), per_theme


def test_the_two_reviewers_differ_but_mostly_agree():
    r1 = read_coding(EXAMPLE_STUDY / "codings" / "reviewer1.csv")
    r2 = read_coding(EXAMPLE_STUDY / "codings" / "reviewer2.csv")
    sets1 = r1.groupby("segment_id")["code"].agg(frozenset)
    sets2 = r2.groupby("segment_id")["code"].agg(frozenset)
    same = (sets1 == sets2.reindex(sets1.index)).mean()
    assert 0.55 < same < 0.95, same


def test_every_example_transcript_is_matched_to_a_participant():
    stems = {p.stem for p in TRANSCRIPTS.iterdir()}
    ids = set(pd.read_csv(EXAMPLE_STUDY / "participants.csv", dtype=str)["participant_id"])
    assert stems == ids
