"""Focus groups: participants.csv's ``file`` + ``speaker`` give each speaker of a file their participant."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

from slqual.errors import ProjectError
from slqual.ingest import ingest
from slqual.project import open_project

FOCUS = Path(__file__).parent / "data" / "transcripts" / "focus"
MAPPING = (
    "participant_id,group,file,speaker\n"
    "P21,clinical,FG1.txt,Anna\n"
    "P22,non-clinical,FG1.txt,Ben\n"
    "G3P1,clinical,FG2.txt,G3P1\n"
    "G3P2,non-clinical,FG2,g3p2\n"  # a stem and another spelling of the label work too
    "P07,clinical,,\n"
)


@pytest.fixture
def group_study(project):
    for name in ("FG1.txt", "FG2.txt"):
        shutil.copyfile(FOCUS / name, project.transcripts_dir / name)
    shutil.copyfile(
        Path(__file__).parent / "data" / "transcripts" / "P07.txt", project.transcripts_dir / "P07.txt"
    )
    project.participants_path.write_text(MAPPING, encoding="utf-8")
    settings = project.settings_path.read_text(encoding="utf-8")
    settings = settings.replace("interviewer:\n", "interviewer:\n- Moderator\n- Experimenter\n")
    project.settings_path.write_text(settings, encoding="utf-8")
    return open_project(project.root)


def _rows(project) -> list[dict[str, str]]:
    with open(project.segments_path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_each_turn_gets_its_speakers_participant(group_study):
    result = ingest(group_study)
    rows = _rows(group_study)
    fg1 = [(r["speaker"], r["speaker_role"], r["participant_id"]) for r in rows if r["document"] == "FG1"]
    assert fg1 == [
        ("Moderator", "interviewer", ""),
        ("Anna", "participant", "P21"),
        ("Ben", "participant", "P22"),
        ("Cara", "participant", ""),
        ("Moderator", "interviewer", ""),
        ("Anna", "participant", "P21"),
        ("Ben", "participant", "P22"),
        ("Cara", "participant", ""),
    ]
    fg2 = {(r["speaker"], r["participant_id"]) for r in rows if r["document"] == "FG2"}
    assert fg2 == {("Experimenter", ""), ("G3P1", "G3P1"), ("G3P2", "G3P2")}
    assert {r["participant_id"] for r in rows if r["document"] == "P07"} == {"P07"}  # interviews as before
    [unmapped] = [w for w in result.warnings if "have no row" in w]
    assert unmapped.startswith("FG1.txt: speaker label(s) 'Cara' have no row in participants.csv")
    assert not any(
        "have no transcript" in w or "no row in participants.csv for" in w for w in result.warnings
    )
    docs = {d.document: d for d in result.documents}
    assert docs["FG1"].participants == ("P21", "P22")
    # groups count participants, not files: FG1 holds one clinical and one non-clinical participant
    groups = {g.group: (g.documents, g.participants, g.participant_turns) for g in result.groups}
    assert groups["clinical"] == (3, 3, 7)  # P21 (2 turns), G3P1 (2), P07 (3)
    assert groups["non-clinical"] == (2, 2, 4)
    assert groups[""] == (1, 0, 2)  # Cara


def test_status_counts_participants_of_a_focus_group(group_study):
    from slqual.coding.status import coding_status

    ingest(group_study)
    group_study.coder_path("r1").write_text("segment_id,code\nFG1-0002,motivation\nFG1-0003,motivation\n")
    report = coding_status(group_study)
    assert report.participants == 5
    assert report.coders[0].participants == 2


def test_one_speaker_mapped_twice_in_a_file_is_an_error_naming_the_row(group_study):
    group_study.participants_path.write_text(MAPPING + "P23,clinical,FG1.txt,ANNA\n", encoding="utf-8")
    with pytest.raises(ProjectError, match=r"row 7: speaker 'ANNA' in 'FG1.txt' is already participant P21"):
        ingest(group_study)
    assert not group_study.segments_path.exists()


def test_the_coding_frame_and_sheet_show_the_speaker(group_study):
    from slqual.coding.frame import coding_frame

    ingest(group_study)
    frame = coding_frame(group_study)
    assert list(frame.loc[frame["segment_id"] == "FG1-0003", ["speaker", "participant_id"]].iloc[0]) == [
        "Ben",
        "P22",
    ]


def test_the_coding_sheet_has_a_speaker_column(group_study, tmp_path):
    from slqual.coding.sheets import export_sheet

    ingest(group_study)
    export_sheet(group_study, "r1", "csv", tmp_path / "r1.csv")
    with open(tmp_path / "r1.csv", encoding="utf-8-sig", newline="") as handle:
        rows = {r["segment_id"]: r for r in csv.DictReader(handle)}
    assert (rows["FG1-0003"]["participant"], rows["FG1-0003"]["speaker"]) == ("P22", "Ben")
