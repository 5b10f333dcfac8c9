"""REFI-QDA .qdc: export validates and is byte-stable; import is safe, nested, namespace-keyed."""

from __future__ import annotations

from pathlib import Path

import pytest

from slqual.codebook import load_codebook
from slqual.codebook.export import export_codebook
from slqual.codebook.model import CodeNode
from slqual.errors import CodebookError
from slqual.interop.importer import import_codebook
from slqual.interop.qdc import (
    SCHEMA_PATH,
    Description,
    codebook_to_qdc,
    description_for,
    guid_for,
    normalize_color,
    parse_description,
    read_qdc,
    validate_qdc,
)
from slqual.project import CODEBOOKS_DIR

DATA = Path(__file__).parent / "data" / "codebooks"
QDC = DATA / "qdc"


@pytest.fixture
def codebook():
    return load_codebook(DATA / "valid.yaml")


def tree(codebook):
    """The parts a round trip must keep: tree shape, names, definitions, colours (by position)."""

    def node(n):
        return (
            n.name,
            n.definition,
            n.include,
            n.exclude,
            n.examples,
            n.memo,
            n.color,
            [node(c) for c in n.children],
        )

    return [node(r) for r in codebook.roots]


def test_schema_is_shipped_with_its_licence():
    text = SCHEMA_PATH.read_text(encoding="utf-8")
    assert "MIT license" in text and "Copyright 2019 REFI" in text


@pytest.mark.parametrize(
    "path", [DATA / "valid.yaml", *sorted(CODEBOOKS_DIR.glob("*.yaml"))], ids=lambda p: p.name
)
def test_export_validates_against_the_refi_qda_schema(path):
    validate_qdc(codebook_to_qdc(load_codebook(path)))


def test_validation_catches_a_bad_file():
    with pytest.raises(CodebookError, match="does not match the REFI-QDA codebook schema"):
        validate_qdc(b'<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes/></CodeBook>')


def test_reexport_is_byte_identical(codebook, tmp_path):
    first = export_codebook(codebook, "qdc", tmp_path / "a.qdc").read_bytes()
    second = export_codebook(load_codebook(DATA / "valid.yaml"), "qdc", tmp_path / "b.qdc").read_bytes()
    assert first == second


def test_guids_derive_from_ids(codebook):
    data = codebook_to_qdc(codebook).decode()
    assert f'guid="{guid_for("barriers.time")}"' in data
    assert guid_for("barriers.time") == guid_for("barriers.time") != guid_for("barriers.money")
    assert (
        guid_for("a") == "680adff0-6e21-578c-a92a-873ab214604a"
    )  # fixed for ever: changing it breaks re-imports


def test_export_carries_names_colours_and_criteria(codebook):
    data = codebook_to_qdc(codebook).decode()
    assert 'name="Hiérarchie"' in data and 'color="#CC3333"' in data
    assert "Include: Hours, diaries, meetings that clash." in data
    assert 'xmlns="urn:QDA-XML:codebook:1.0"' in data


def test_description_round_trip():
    node = CodeNode(
        id="a",
        name="A",
        definition="Def.\n\nSecond paragraph.",
        include="In.",
        exclude="Out.",
        examples=("one", "two"),
        memo="Note.",
    )
    parts = parse_description(description_for(node))
    assert parts == Description("Def.\n\nSecond paragraph.", "In.", "Out.", ("one", "two"), "Note.")
    assert parse_description("Written in NVivo.\n\nNo labels here.") == Description(
        definition="Written in NVivo.\n\nNo labels here."
    )


def test_round_trip_yaml_qdc_yaml_keeps_tree_names_definitions_colours(codebook, tmp_path):
    qdc = export_codebook(codebook, "qdc", tmp_path / "cb.qdc")
    result = import_codebook(qdc, tmp_path / "back.yaml")
    back = load_codebook(result.output)
    assert tree(back) == tree(codebook)
    # Ids come from the names unless a codebook to take them from is given.
    assert (
        back.node("barriers.culture.sprache_und_begriffe_fachjargon").name
        == "Sprache und Begriffe (Fachjargon)"
    )
    assert back.node("barriers.lack_of_time").parent == "barriers"


def test_ids_come_back_from_guids_when_asked(codebook, tmp_path):
    qdc = export_codebook(codebook, "qdc", tmp_path / "cb.qdc")
    result = import_codebook(qdc, tmp_path / "back.yaml", ids_from=DATA / "valid.yaml")
    back = load_codebook(result.output)
    assert back.ids() == codebook.ids()
    assert tree(back) == tree(codebook)
    assert back.title == "Test study"
    titled = import_codebook(qdc, tmp_path / "titled.yaml", title="Round trip")
    assert load_codebook(titled.output).title == "Round trip"


def test_round_trip_of_the_shipped_codebook(tmp_path):
    original = load_codebook(CODEBOOKS_DIR / "shared_leadership.yaml")
    qdc = export_codebook(original, "qdc", tmp_path / "sl.qdc")
    back = load_codebook(import_codebook(qdc, tmp_path / "sl.yaml").output)
    assert tree(back) == tree(original)


def test_import_nested_qualcoder_file_with_repeated_names(tmp_path):
    result = import_codebook(QDC / "nested_qualcoder.qdc", tmp_path / "cb.yaml")
    assert (result.codes, result.themes, result.origin) == (9, 2, "qc 1.3.2")
    cb = load_codebook(tmp_path / "cb.yaml")
    ids = cb.ids()
    assert "rq1_definition.competencies.programming" in ids
    assert "rq1_definition.framings.cs_as_programming.programming" in ids
    assert "rq1_definition.framings.programming" in ids  # 'Programming' sits at another depth
    barriers = cb.node("rq2_barriers")
    assert barriers.color == "#ff00aa"  # '#F0A' expanded
    time_money = cb.node("rq2_barriers.time_money")
    assert (time_money.name, time_money.definition, time_money.include) == (
        "time & money",
        "Short of hours or budget.",
        "Diaries, funding rules.",
    )
    assert "Ids were made from the names" in (tmp_path / "cb.yaml").read_text(encoding="utf-8")


def test_import_keys_on_namespace_not_schema_location(tmp_path):
    result = import_codebook(QDC / "atlas_wrong_schemalocation.qdc", tmp_path / "cb.yaml")
    cb = load_codebook(result.output)
    assert cb.ids() == ["barriers_time", "enablers_trust"]
    assert cb.node("barriers_time").name == "Barriers: time"
    assert cb.node("barriers_time").definition == "Not enough time to meet."


def test_import_taguette_flat_list_without_descriptions(tmp_path):
    cb = load_codebook(import_codebook(QDC / "taguette_flat.qdc", tmp_path / "cb.yaml").output)
    assert cb.ids() == ["interesting", "people", "interesting_2"]
    assert all(not n.definition and n.depth == 0 for n in cb)


def test_import_taguette_csv(tmp_path):
    cb = load_codebook(import_codebook(QDC / "taguette.csv", tmp_path / "cb.yaml").output)
    assert cb.ids() == ["moderator_assist", "system_issue", "wording_not_clear"]
    assert cb.node("system_issue").definition == "Slow, crashes or not responsive."


def test_import_keeps_non_ascii_names(tmp_path):
    output = import_codebook(QDC / "non_ascii.qdc", tmp_path / "cb.yaml").output
    cb = load_codebook(output)
    assert [n.name for n in cb] == ["Führung", "Ärger & Wut", "领导力", "Éducation"]
    assert cb.ids() == ["führung", "führung.ärger_wut", "领导力", "éducation"]
    assert "领导力" in Path(output).read_text(encoding="utf-8")


def test_import_codebook_inside_a_project_file(tmp_path):
    cb = load_codebook(import_codebook(QDC / "project.qde", tmp_path / "cb.yaml").output)
    assert cb.ids() == ["trust"] and cb.node("trust").definition == "Confidence in others."


@pytest.mark.parametrize("name", ["billion_laughs.qdc", "external_entity.qdc"])
def test_hostile_xml_is_refused_in_one_line_and_nothing_is_written(name, tmp_path):
    output = tmp_path / "cb.yaml"
    with pytest.raises(CodebookError) as caught:
        import_codebook(QDC / name, output)
    message = str(caught.value)
    assert "\n" not in message and "refused" in message and name in message
    assert not output.exists()
    assert list(tmp_path.iterdir()) == []


def test_broken_and_foreign_xml(tmp_path):
    with pytest.raises(CodebookError, match=r"broken_xml.qdc:4: not well-formed XML"):
        read_qdc(QDC / "broken_xml.qdc")
    with pytest.raises(CodebookError, match="not a REFI-QDA codebook"):
        read_qdc(QDC / "not_a_codebook.xml")
    with pytest.raises(CodebookError, match="cannot import '.txt'"):
        import_codebook(tmp_path / "x.txt", tmp_path / "cb.yaml")


def test_import_refuses_to_overwrite_without_force(tmp_path):
    output = tmp_path / "cb.yaml"
    output.write_text("keep me", encoding="utf-8")
    with pytest.raises(CodebookError, match="--force"):
        import_codebook(QDC / "taguette_flat.qdc", output)
    assert output.read_text(encoding="utf-8") == "keep me"
    import_codebook(QDC / "taguette_flat.qdc", output, force=True)
    assert "interesting_2" in output.read_text(encoding="utf-8")


def test_failed_import_leaves_the_existing_file(tmp_path):
    output = tmp_path / "cb.yaml"
    output.write_text("keep me", encoding="utf-8")
    with pytest.raises(CodebookError):
        import_codebook(QDC / "billion_laughs.qdc", output, force=True)
    assert output.read_text(encoding="utf-8") == "keep me"


def test_colours():
    assert normalize_color("#F0A") == "#ff00aa"
    assert normalize_color("#00AA33") == "#00aa33"
    assert normalize_color("red") is None


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "the file is empty; export the codebook again"),
        (b'{"codes": []}', r"not an XML file \(a .qdc codebook starts with '<'\)"),
    ],
)
def test_an_empty_or_non_xml_file_is_explained(content, message, tmp_path):
    path = tmp_path / "codes.qdc"
    path.write_bytes(content)
    with pytest.raises(CodebookError, match=message):
        read_qdc(path)


def test_hostile_xml_message_names_no_python_type():
    with pytest.raises(CodebookError) as caught:
        read_qdc(QDC / "billion_laughs.qdc")
    assert "Forbidden" not in str(caught.value)


def test_replacing_the_project_codebook_keeps_it_and_warns_about_codings(tmp_path):
    from slqual.project import init_project

    project = init_project(tmp_path / "study", codebook=str(DATA / "valid.yaml"))
    before = project.codebook_path.read_bytes()
    project.coder_path("r1").write_text(
        "segment_id,code\nP01-0002,barriers.time\nP01-0004,\n", encoding="utf-8"
    )
    result = import_codebook(QDC / "project.qde", project.codebook_path, force=True)
    assert result.kept and Path(result.kept).read_bytes() == before
    assert Path(result.kept).parent == project.internal_dir / "history"
    assert result.notes == (
        "1 coded row(s) in coder files use codes this codebook lacks; "
        "list them with 'slqual codebook check --codings' and rename or merge them",
    )


def test_importing_outside_a_project_keeps_no_copy(tmp_path):
    result = import_codebook(QDC / "project.qde", tmp_path / "cb.yaml")
    assert result.kept is None and result.notes == ()


def test_a_whole_project_file_is_explained(tmp_path):
    with pytest.raises(
        CodebookError, match=r"study.qdpx: a .qdpx holds a whole project; export the codebook alone"
    ):
        import_codebook(tmp_path / "study.qdpx", tmp_path / "cb.yaml")


def test_a_huge_taguette_csv_is_refused(tmp_path, monkeypatch):
    import slqual.interop.qdc as qdc  # the size limit of every foreign codebook file

    monkeypatch.setattr(qdc, "MAX_QDC_BYTES", 100)
    path = tmp_path / "tags.csv"
    path.write_text("tag,description\n" + "a,b\n" * 100, encoding="utf-8")
    with pytest.raises(CodebookError, match=r"tags.csv: too large for a codebook \(416 bytes\)"):
        import_codebook(path, tmp_path / "cb.yaml")


def test_a_file_that_cannot_be_written_is_named(tmp_path, monkeypatch):
    import slqual.interop.importer as importer

    def refuse(path, text):
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr(importer, "atomic_write_text", refuse)
    with pytest.raises(
        CodebookError, match=r"cb.yaml: could not be written \(Permission denied\); nothing was"
    ):
        import_codebook(QDC / "taguette.csv", tmp_path / "cb.yaml")
    assert not (tmp_path / "cb.yaml").exists()
