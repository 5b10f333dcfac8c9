"""The coding screen in a real terminal of 80x24 (tmux): the header stays in view, the codes fit."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
import uuid

import pytest
from coding_fixtures import make_project

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="needs tmux")
LONG_WORDS = " ".join(f"Sentence {n} is here and it goes on for a while." for n in range(1, 13))


def _flat_codebook(project) -> None:
    lines = ["title: Flat imported codebook", "version: 1", "codes:"]
    for n in range(1, 23):
        lines += [f"  - id: flat_code_number_{n:02d}", f"    name: Flat code number {n}"]
    project.codebook_path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _screen(project, typed: list[str]) -> list[str]:
    name = f"slqual-{uuid.uuid4().hex[:8]}"
    command = f"cd {project.root} && {sys.executable} -m slqual code --coder r1; sleep 5"
    subprocess.run(["tmux", "new-session", "-d", "-s", name, "-x", "80", "-y", "24", command], check=True)
    try:
        time.sleep(3)
        for line in typed:
            subprocess.run(["tmux", "send-keys", "-t", name, line, "Enter"], check=True)
            time.sleep(1.5)
        out = subprocess.run(
            ["tmux", "capture-pane", "-t", name, "-p"], capture_output=True, text=True, check=True
        )
        return out.stdout.splitlines()
    finally:
        subprocess.run(["tmux", "kill-session", "-t", name], check=False)


def test_a_flat_codebook_of_22_codes_and_a_long_segment_keep_the_header_in_view(tmp_path):
    project = make_project(tmp_path)
    _flat_codebook(project)
    segments = project.segments_path.read_text(encoding="utf-8")
    segments = segments.replace("I never planned it, I fell into the role.", LONG_WORDS)
    project.segments_path.write_text(segments, encoding="utf-8")
    screen = _screen(project, ["flat_code_numbr_03", "q 2-3"])
    text = "\n".join(screen)
    assert len(screen) <= 24 and all(len(line) <= 80 for line in screen)
    status = [line for line in screen if "Segment 1 of 6" in line]
    assert (
        status and "P01 · P01 (clinical) · P01 · P01-0002" in status[0]
    )  # document, participant, speaker, id
    for n in (1, 11, 12, 22):  # every code in view, in columns
        assert f"{n:>2} flat_code_number_{n:02d}" in text
    assert "[12] Sentence 12" in text.replace("\n", " ")
    assert "quote: “Sentence 2 is here" in text
    from slqual.codings import read_coding

    assert not project.coder_path("r1").exists() or read_coding(project.coder_path("r1")).empty


def test_did_you_mean_for_a_mistyped_code(tmp_path):
    from slqual.coding.session import coding_session

    project = make_project(tmp_path)
    _flat_codebook(project)
    with coding_session(project, "r1") as (session, _note):
        reply = session.handle("flat_code_numbr_03")
    assert reply.kind == "error"
    assert "Did you mean flat_code_number_03?" in reply.message


def test_quote_by_sentence_numbers_is_stored_with_the_answer(tmp_path):
    from slqual.coding.session import coding_session
    from slqual.codings import read_coding

    project = make_project(tmp_path)
    segments = project.segments_path.read_text(encoding="utf-8")
    project.segments_path.write_text(
        segments.replace("I never planned it, I fell into the role.", LONG_WORDS)
    )
    with coding_session(project, "r1") as (session, _note):
        assert session.handle("q 2-3").kind == "quote"
        assert session.handle("q 14").kind == "error"
        assert session.handle("1").kind == "saved"
        session.handle("b")
        assert session.screen().quote.startswith("Sentence 2 is here")
        session.handle("q 1,3")
        session.handle("q")
    frame = read_coding(project.coder_path("r1"))
    quote = frame.loc[frame["segment_id"] == "P01-0002", "quote"].iloc[0]
    assert (
        quote
        == "Sentence 1 is here and it goes on for a while. ... Sentence 3 is here and it goes on for a while."
    )
    with coding_session(project, "r1", revisit=True) as (session, _note):
        session.handle("q -")
        session.handle("q")
    assert read_coding(project.coder_path("r1"))["quote"].iloc[0] == ""
