"""A small study with clear signals for show, search and suggest: 10 interviews, 3 telling codes."""

from __future__ import annotations

import random
import shutil
from pathlib import Path

from slqual.project import Project, open_project

DATA = Path(__file__).resolve().parent / "data" / "coding"
SIGNALS = {
    "barriers.time_pressure": [
        "There is simply no time, I am always rushed and too busy to think.",
        "The diary is full, no time at all, rushed from one thing to the next.",
        "Too busy, always rushed, there is never enough time in the week.",
    ],
    "motivation.not_career_goal": [
        "I never planned to lead, I just fell into the role by accident.",
        "Leadership was never my plan; I fell into it when nobody else would.",
        "It was never a career goal, I fell into the job really.",
    ],
    "barriers.bureaucracy.meetings": [
        "Endless meetings, meetings about meetings, the agenda never ends.",
        "Another meeting with a long agenda, minutes and actions, meetings all day.",
        "The meetings go on and on, agenda after agenda.",
    ],
}
NOISE = [
    "We talked about the weather and the car park.",
    "My background is in nursing and then some finance work.",
    "The building was refurbished two years ago.",
    "I live quite close so I walk in most days.",
    "The canteen food has improved a lot recently.",
    "Our department moved floors last spring.",
]
DOCUMENTS = [f"P{n:02d}" for n in range(1, 11)]


def make_suggest_project(tmp_path: Path, *, seed: int = 7) -> Project:
    """segments.csv with 10 documents x 12 participant turns; codings/consensus.csv codes them all."""
    rng = random.Random(seed)
    root = tmp_path / "study"
    root.mkdir(parents=True)
    for name in ("codebook.yaml", "slqual.yaml"):
        shutil.copy(DATA / name, root / name)
    participants = ["participant_id,group,role"]
    segments = ["segment_id,document,participant_id,seq,speaker,speaker_role,start,end,text"]
    coding = ["segment_id,code,coder,coded_at,memo,exemplar,quote"]
    for d, doc in enumerate(DOCUMENTS):
        group = "clinical" if d % 2 == 0 else "non-clinical"
        participants.append(f"{doc},{group},role{d}")
        seq = 0
        for turn in range(12):
            seq += 1
            segments.append(f"{doc}-{seq:04d},{doc},{doc},{seq},Interviewer,interviewer,,,Question {turn}?")
            seq += 1
            sid = f"{doc}-{seq:04d}"
            codes = list(SIGNALS)
            if turn < 6:
                code = codes[turn % 3]
                text = rng.choice(SIGNALS[code]) + " " + rng.choice(NOISE)
                coding.append(f"{sid},{code},consensus,2026-01-01T00:00:00Z,,,")
            else:
                text = rng.choice(NOISE) + " " + rng.choice(NOISE)
                coding.append(f"{sid},,consensus,2026-01-01T00:00:00Z,,,")
            segments.append(f'{sid},{doc},{doc},{seq},{doc},participant,,,"{text}"')
    (root / "participants.csv").write_text("\n".join(participants) + "\n", encoding="utf-8")
    (root / "segments.csv").write_text("\n".join(segments) + "\n", encoding="utf-8")
    (root / "codings").mkdir()
    (root / "codings" / "consensus.csv").write_text("\n".join(coding) + "\n", encoding="utf-8")
    return open_project(root)
