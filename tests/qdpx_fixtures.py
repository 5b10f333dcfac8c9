# ruff: noqa: E501  (hand-written XML reads best one element a line)
"""Small projects and hand-written .qdpx files for the REFI-QDA project tests."""

from __future__ import annotations

import zipfile
from pathlib import Path

from slqual.codings import CODING_COLUMNS
from slqual.ingest import ingest
from slqual.project import Project, init_project, open_project

P01 = (
    "Interviewer: How did you come to the role?\n\n"
    "P01: Honestly by accident. Nobody else put their hand up at Millbeck Surgery.\n\n"
    "Interviewer: And now?\n\n"
    "P01: I feel torn between patients and meetings. Some days I feel like a traitor.\n"
)
P02 = (
    "Interviewer: What gets in the way?\n\n"
    "P02: Time, mostly. The budget meetings eat every Thursday.\n\n"
    "Interviewer: Anything else?\n\n"
    "P02: Jargon. Clinicians and finance people speak different languages.\n"
)
CODER_ROWS = {
    "reviewer1": [
        ("P01-0002", "motivation.not_career_goal", "2025-04-22T09:00:55Z", "clear case", "1", ""),
        (
            "P01-0004",
            "motivation.dual_role_conflict",
            "2025-04-22T09:01:10Z",
            "",
            "",
            "Some days I feel like a traitor.",
        ),
        ("P02-0002", "barriers.time_pressure", "2025-04-22T09:02:00Z", "", "", ""),
        ("P02-0004", "", "2025-04-22T09:03:00Z", "", "", ""),
    ],
    "reviewer2": [
        ("P01-0002", "motivation.not_career_goal", "2025-04-24T13:30:55Z", "", "", ""),
        ("P01-0004", "motivation.dual_role_conflict", "2025-04-24T13:31:00Z", "", "", ""),
        ("P01-0004", "barriers.time_pressure", "2025-04-24T13:31:00Z", "two hats", "", ""),
        ("P02-0004", "attitudes.tensions", "2025-04-24T13:32:00Z", "", "", "speak different languages"),
    ],
}


def make_project(tmp_path: Path, name: str = "study") -> Project:
    """A two-interview project with participants, two coders, quotes and memos."""
    project = init_project(tmp_path / name)
    (project.transcripts_dir / "P01.txt").write_text(P01, encoding="utf-8")
    (project.transcripts_dir / "P02.txt").write_text(P02, encoding="utf-8")
    project.participants_path.write_text(
        "participant_id,group,role\nP01,clinical,GP\nP02,non-clinical,Finance lead\n", encoding="utf-8"
    )
    project = open_project(project.root)
    ingest(project)
    write_coders(project, CODER_ROWS)
    return project


def write_coders(project: Project, rows: dict[str, list[tuple]]) -> None:
    import pandas as pd

    for coder, coder_rows in rows.items():
        frame = pd.DataFrame(
            [(sid, code, coder, at, memo, ex, quote) for sid, code, at, memo, ex, quote in coder_rows],
            columns=CODING_COLUMNS,
        )
        frame.to_csv(project.coder_path(coder), index=False)


def coded_rows(project: Project) -> dict[str, list[tuple]]:
    """Each coder's rows that carry a code, as comparable tuples (exemplar marks do not travel)."""
    from slqual.codings import read_coding

    result = {}
    for coder in project.coders():
        frame = read_coding(project.coder_path(coder))
        frame = frame[frame["code"] != ""]
        result[coder] = sorted(
            frame[["segment_id", "code", "coder", "coded_at", "memo", "quote"]].itertuples(
                index=False, name=None
            )
        )
    return result


def write_qdpx(path: Path, qde: str | bytes, files: dict[str, bytes] | None = None) -> Path:
    """A .qdpx zip with project.qde and the given entries, as another program would write it."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("project.qde", qde if isinstance(qde, bytes) else qde.encode("utf-8"))
        for name, data in (files or {}).items():
            archive.writestr(name, data)
    return path


# ATLAS.ti style: the namespace without schemaLocation, an origin, users, a flat codebook without
# descriptions, non-ASCII names, an audio source; sources stored in the zip.
FOREIGN_TEXT = (
    "Interviewer: Wie sind Sie zu der Rolle gekommen?\n\n"  # 0..48
    "Anna: Durch Zufall. Niemand sonst wollte es machen.\n\n"
    "Interviewer: Und heute?\n\n"
    "Anna: Ich fühle mich zerrissen zwischen Patienten und Sitzungen.\n"
)
USER_A = "6A1F1C2E-1111-4C8B-9D2C-0A0B0C0D0E01"
USER_B = "6A1F1C2E-2222-4C8B-9D2C-0A0B0C0D0E02"
CODE_ZUFALL = "C0DE0000-0000-4000-8000-000000000001"
CODE_KONFLIKT = "C0DE0000-0000-4000-8000-000000000002"
CODE_FUHRUNG = "C0DE0000-0000-4000-8000-000000000003"
SOURCE = "50000000-0000-4000-8000-000000000001"


def span(text: str, words: str) -> tuple[int, int]:
    start = text.index(words)
    return start, start + len(words)


def foreign_qde(selections: str, extra_sources: str = "", source_attrs: str = "") -> str:
    attrs = source_attrs or f'plainTextPath="internal://{SOURCE}.txt"'
    return f"""<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="Führungsstudie" origin="ATLAS.ti 23.2.1" creatingUserGUID="{USER_A}">
  <Users>
    <User guid="{USER_A}" name="Jürgen Müller"/>
    <User guid="{{{USER_B}}}" name="Sam"/>
  </Users>
  <CodeBook>
    <Codes>
      <Code guid="{CODE_ZUFALL}" name="Zufall" isCodable="true"/>
      <Code guid="{CODE_KONFLIKT}" name="Rollenkonflikt" isCodable="true" color="#f00"/>
      <Code guid="{CODE_FUHRUNG}" name="Führung" isCodable="true"/>
    </Codes>
  </CodeBook>
  <Variables>
    <Variable guid="7A000000-0000-4000-8000-000000000001" name="Beruf" typeOfVariable="Text"/>
    <Variable guid="7A000000-0000-4000-8000-000000000002" name="Alter" typeOfVariable="Integer"/>
  </Variables>
  <Cases>
    <Case guid="CA000000-0000-4000-8000-000000000001" name="Anna">
      <VariableValue><VariableRef targetGUID="7A000000-0000-4000-8000-000000000001"/><TextValue>Ärztin</TextValue></VariableValue>
      <VariableValue><VariableRef targetGUID="7A000000-0000-4000-8000-000000000002"/><IntegerValue>47</IntegerValue></VariableValue>
      <SourceRef targetGUID="{SOURCE}"/>
    </Case>
  </Cases>
  <Sources>
    <TextSource guid="{SOURCE}" name="Interview Anna.txt" {attrs}>
{selections}
    </TextSource>
    <AudioSource guid="A0000000-0000-4000-8000-000000000001" name="Anna.mp3" path="internal://anna.mp3">
      <AudioSelection guid="A0000000-0000-4000-8000-000000000002" begin="1000" end="5000" creatingUser="{USER_A}">
        <Coding guid="A0000000-0000-4000-8000-000000000003" creatingUser="{USER_A}"><CodeRef targetGUID="{CODE_ZUFALL}"/></Coding>
      </AudioSelection>
    </AudioSource>
{extra_sources}
  </Sources>
</Project>
"""


def selection(guid_tail: str, start: int, end: int, user: str, code: str, description: str = "") -> str:
    desc = f"<Description>{description}</Description>" if description else ""
    return (
        f'      <PlainTextSelection guid="5E000000-0000-4000-8000-{guid_tail:0>12}" name="" '
        f'startPosition="{start}" endPosition="{end}" creatingUser="{user}" '
        f'creationDateTime="2024-05-01T10:00:00Z">{desc}'
        f'<Coding guid="C1000000-0000-4000-8000-{guid_tail:0>12}" creatingUser="{user}" '
        f'creationDateTime="2024-05-01T10:00:00Z"><CodeRef targetGUID="{code}"/></Coding>'
        "</PlainTextSelection>"
    )
