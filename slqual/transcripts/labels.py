"""Speaker labels in plain text: finding candidates at line start and deciding which are labels.

A label is short (up to 40 characters) and sits at the start of a line:
``Interviewer:``, ``P07 :``, ``[00:03:12] P07:``, ``P07 (00:03:12):``,
``[P07]``, ``**P07**``, ``### Interviewer``, or an Otter header line
``Name  0:34``. Finding a candidate is cheap and local; deciding whether it
is a label uses the whole file: a role or id (``Interviewer``, ``P07``,
``Speaker 2``), a configured speaker, a name seen at least twice, or a
capitalised name before a colon. So ``The point is: we never had time.``
stays text.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from typing import NamedTuple

MAX_LABEL = 40
TS = r"\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d{1,3})?"
_TS_FULL = re.compile(rf"[\[(]?({TS})[\])]?")
# Optional time before the label: "[00:03:12] ", "(00:03:12) ", "00:03:12 ", "00:03:12 - ".
_PRE = rf"\s*(?:[\[(]?(?P<pre>{TS})[\])]?\s*(?:[-–—|]\s*)?)?"
# Optional time after the label: " [00:03:12]", " (00:03:12)", " 00:03:12".
_POST = rf"(?:\s*[\[(]?(?P<post>{TS})[\])]?)?"
_COLON = re.compile(
    rf"^{_PRE}(?P<name>[^\W\d_][^:\n]{{0,{MAX_LABEL + 20}}}?)"
    rf"\s*(?:[\[(](?P<mid>{TS})[\])])?\s*:(?=\s|$){_POST}\s*"
)
_BOLD = re.compile(rf"^{_PRE}\*\*(?P<name>[^*\n]{{1,{MAX_LABEL + 20}}}?)\s*:?\s*\*\*\s*:?{_POST}(?:\s+|$)")
_BRACKET = re.compile(rf"^{_PRE}\[(?P<name>[^\[\]\n]{{1,{MAX_LABEL + 20}}})\]\s*:?{_POST}(?:\s+|$)")
_HEADING = re.compile(rf"^#{{1,6}}\s+(?P<name>[^\n#]{{1,{MAX_LABEL + 20}}}?)\s*:?{_POST}\s*#*\s*$")
_OTTER = re.compile(
    rf"^(?P<name>[^\W\d_][^:\n]{{0,{MAX_LABEL + 20}}}?)(?P<gap>\s+)[\[(]?(?P<post>{TS})[\])]?\s*$"
)
# What a role label may add to a listed interviewer label: "Interviewer 2", "Interviewer (Helen)".
_ROLE_SUFFIX = re.compile(r"(?:\s*\([^)]*\)|\s*[-_#]?\s*\d+[a-z]?)+$", re.IGNORECASE)

# A line holding only a name: letters first, no sentence punctuation at the end.
_ALONE = re.compile(r"[^\W\d_][\w .'’&()-]{0,39}(?<=[\w)])")
LEADING_TIME = re.compile(rf"[\[(]?({TS})[\])]?(?:\s+|$)")
# Forms whose mark (a colon, bold, a header line) makes a single capitalised name a label.
MARKED = frozenset({"colon", "bold", "otter", "cell"})

_ROLE = re.compile(
    r"(?:interviewer|interviewee|participant|respondent|moderator|facilitator|researcher|experimenter"
    r"|speaker|subject|unknown speaker|unknown|int|iv|ie|resp|mod|fac)\s*[-_#]?\s*\d{0,3}[a-z]?"
    r"|[a-z]{1,3}\s?\d{1,3}(?:[a-z]{1,2}\d{1,3})?"  # P07, P 7, id1, G3P1, FG1R2
    r"|[iqarp]"
)
_PARTICLES = frozenset("de van der den von da di du la le al el bin ibn y e del dos das st".split())
# Words that end in a colon at line start but are not speakers (metadata keys, discourse words).
STOPWORDS = frozenset(
    """so yes no well okay ok and but or then now because also first second third finally note notes nb ps
    example e.g i.e update edit summary title date time location place venue duration length subject project
    study recorded recording transcriber transcript transcription file filename site setting attendees present
    absent participants interview interviewers tags keywords source url link email phone tel re fwd from to
    cc warning important tip hint page end start inaudible crosstalk laughs laughter laughing pause silence
    music applause unintelligible overlapping overlap noise cough coughs sighs sigh background indistinct
    unclear redacted break interruption background context agenda action actions outcome decision purpose
    aim aims objective objectives topic section part step task comment comments response feedback
    observation observations quote monday tuesday wednesday thursday friday saturday sunday january
    february march july september october november december""".split()
) | {"transcribed by", "interview date", "interview time", "cross talk", "date of interview"}
_BAD_CHARS = frozenset(',;?!"“”<>{}=|*#@\\')


def speaker_key(label: str) -> str:
    """The identity of a label: case and whitespace do not matter (``Interviewer 1`` = ``interviewer1``)."""
    return "".join(label.casefold().split())


def clean_label(label: str) -> str:
    """A label as written, whitespace normalised, without a trailing colon."""
    return " ".join(label.split()).rstrip(":").rstrip()


@dataclass(frozen=True)
class SpeakerRules:
    """The project's speaker settings: interviewer labels and the ``speakers:`` alias map."""

    interviewer: tuple[str, ...] = ("Interviewer", "Int", "I", "Q")
    speakers: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_interviewer_keys", frozenset(speaker_key(x) for x in self.interviewer))
        aliases = {speaker_key(k): clean_label(v) for k, v in self.speakers.items()}
        object.__setattr__(self, "_aliases", aliases)
        known = set(self._interviewer_keys) | set(aliases) | {speaker_key(v) for v in aliases.values()}
        object.__setattr__(self, "_known", frozenset(known))

    def canonical(self, label: str) -> str:
        """The label after the alias map, whitespace normalised."""
        label = clean_label(label)
        return self._aliases.get(speaker_key(label), label)  # type: ignore[attr-defined]

    def is_interviewer(self, label: str) -> bool:
        """A label listed under ``interviewer``, also with a number or a note in brackets added.

        With ``Interviewer`` listed, ``Interviewer 2``, ``interviewer1`` and
        ``Interviewer (Helen)`` are interviewers too.
        """
        keys = self._interviewer_keys  # type: ignore[attr-defined]
        if speaker_key(label) in keys:
            return True
        base = _ROLE_SUFFIX.sub("", label)
        return bool(base) and base != label and speaker_key(base) in keys

    def is_known(self, key: str) -> bool:
        return key in self._known  # type: ignore[attr-defined]


class Candidate(NamedTuple):
    """A possible label at the start of a line."""

    name: str
    key: str
    form: str  # colon, bold, boldline, bracket, heading, otter, otter1, alone, cell, voice
    rest: str  # the text after the label
    time: int | None  # milliseconds


@lru_cache(maxsize=16384)  # transcripts repeat the same few thousand times of the hour
def parse_time(text: str) -> int | None:
    """``HH:MM:SS[.mmm]``, ``H:MM:SS``, ``MM:SS`` or ``M:SS`` (comma or dot before ms) to milliseconds."""
    match = _TS_FULL.fullmatch(text.strip())
    if not match:
        return None
    value = match.group(1).replace(",", ".")
    main, _, frac = value.partition(".")
    parts = [int(p) for p in main.split(":")]
    if len(parts) == 2:
        parts.insert(0, 0)
    hours, minutes, seconds = parts
    if minutes > 59 or seconds > 59:
        return None
    millis = int((frac + "00")[:3]) if frac else 0
    return ((hours * 60 + minutes) * 60 + seconds) * 1000 + millis


def format_time(millis: int | None) -> str:
    """Milliseconds as ``HH:MM:SS.mmm``; empty for None."""
    if millis is None:
        return ""
    seconds, ms = divmod(millis, 1000)
    minutes, sec = divmod(seconds, 60)
    hours, minute = divmod(minutes, 60)
    return f"{hours:02d}:{minute:02d}:{sec:02d}.{ms:03d}"


def find_candidate(line: str) -> Candidate | None:
    """A possible speaker label at the start of one line of text, or None."""
    stripped = line.lstrip()
    if not stripped:
        return None
    first = stripped[0]
    if first == "#":
        match, form = _HEADING.match(stripped), "heading"
    elif first == "*" or (first.isdigit() and "**" in stripped[:20]):
        match, form = _BOLD.match(stripped), "bold"
    elif (
        first == "["
        and (bracket := _BRACKET.match(stripped))
        and ((name := bracket.group("name"))[0].isalpha() or parse_time(name) is None)  # a time is no name
    ):
        match, form = bracket, "bracket"
    else:
        # Cheap tests first: most lines are neither "Name: ..." nor a short "Name  0:34".
        match, form = None, ""
        if ":" in stripped[: MAX_LABEL + 40]:
            usual = _usual_colon_label(stripped)
            if usual is not None:
                return usual or None
            match, form = _COLON.match(stripped), "colon"
        if match is None:
            tail = stripped.rstrip()
            if len(tail) > MAX_LABEL + 20:
                return None
            if not (tail[-1].isdigit() or tail[-1] in ")]"):
                if len(tail) < 2 or not tail[0].isupper() or not _ALONE.fullmatch(tail):
                    return None
                name, key = _name_and_key(tail)  # a name alone on its line, the speech below it
                return Candidate(name, key, "alone", "", None)
            match = _OTTER.match(tail)
            if match is None:
                return None
            gap = match.group("gap")
            form = "otter" if len(gap) > 1 or "\t" in gap else "otter1"
    if match is None:
        return None
    name, key = _name_and_key(match.group("name"))
    if not name or len(name) > MAX_LABEL:
        return None
    groups = match.groupdict()
    stamp = groups.get("pre") or groups.get("mid") or groups.get("post")
    rest = stripped[match.end() :]
    if stamp is None and rest and rest[0] in "[(0123456789":  # "P07: [00:03:12] text"
        lead = LEADING_TIME.match(rest)
        if lead:
            stamp, rest = lead.group(1), rest[lead.end() :]
    return _candidate(Candidate, (name, key, form, rest.strip(), parse_time(stamp) if stamp else None))


_PRE_ONLY = re.compile(_PRE)
_candidate = tuple.__new__  # the named tuple's own constructor, a Python function, costs three times more


def _usual_colon_label(stripped: str) -> Candidate | tuple | None:
    """The candidate ``_COLON`` finds in the usual ``Name: words`` or ``[00:03:12] Name: words``, without it.

    Ingest meets this form on most lines, and the regular expression, which
    must allow times around the name, costs more than the rest of reading.
    Here the time before the name is matched as the expression would first try
    it; a line whose name is followed by the first colon on the line, a space
    and no time is then decided exactly as the expression decides it. Returns
    None for every other line (the caller asks the expression), ``()`` for "no
    label".
    """
    if stripped[0].isalpha():
        start, stamp = 0, None
    else:
        lead = _PRE_ONLY.match(stripped)  # always matches, perhaps empty
        start, stamp = lead.end(), lead.group("pre")
        if start == len(stripped) or not stripped[start].isalpha():
            return None
    colon = stripped.find(":", start)
    if colon < 0:
        return None
    raw = stripped[start:colon].rstrip()
    if len(raw) > MAX_LABEL + 21 or "\n" in raw:
        return None
    rest = stripped[colon + 1 :]
    if rest and not rest[0].isspace():
        return None  # "12:30" or "http://": for the expression
    rest = rest.strip()
    if rest and (rest[0] in "[(" or rest[0].isdecimal()):
        return None  # perhaps a time after the label
    name, key = _name_and_key(raw)
    if not name or len(name) > MAX_LABEL:
        return ()
    return _candidate(Candidate, (name, key, "colon", rest, parse_time(stamp) if stamp else None))


@lru_cache(maxsize=4096)
def _name_and_key(raw: str) -> tuple[str, str]:
    name = clean_label(raw)
    return name, speaker_key(name)


def strength(candidate: Candidate, rules: SpeakerRules) -> int:
    """2: certainly a label (a role, an id, a configured speaker); 1: a plausible name; 0: not a label."""
    name, key = candidate.name, candidate.key
    if rules.is_known(key):
        return 2
    if any(ch in _BAD_CHARS for ch in name) or "://" in name:
        return 0
    lowered = " ".join(name.casefold().split())
    if lowered in STOPWORDS or lowered.rstrip(".") in STOPWORDS:
        return 0
    if _ROLE.fullmatch(lowered):
        return 2
    if not name[0].isalpha():
        return 0
    words = name.split()
    if len(words) > 5:
        return 0
    if len(words) > 1:
        for word in words[1:]:
            if not (
                word[0].isupper() or word[0].isdigit() or word[0] in "(&-" or word.casefold() in _PARTICLES
            ):
                return 0
        if not words[0][0].isupper():
            return 0
    return 1


def accepted_labels(candidates: list[Candidate], rules: SpeakerRules) -> set[int]:
    """Indices of the candidates that are speaker labels, judged over the whole file."""
    counts = Counter(c.key for c in candidates)
    levels: dict[str, int] = {}  # a file repeats its few labels many times
    keep = set()
    for index, cand in enumerate(candidates):
        level = levels.get(cand.name)
        if level is None:
            level = levels[cand.name] = strength(cand, rules)
        if cand.form == "alone":  # riskier: a short line of speech looks the same
            if level == 2 or (counts[cand.key] >= 2 and len(cand.name.split()) >= 2 and level == 1):
                keep.add(index)
        elif level == 2 or cand.form == "voice":
            keep.add(index)
        elif level == 1 and (counts[cand.key] >= 2 or (cand.form in MARKED and cand.name[0].isupper())):
            keep.add(index)
    return keep
