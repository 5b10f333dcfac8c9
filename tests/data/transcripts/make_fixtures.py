"""Build the binary transcript fixtures (Word, OpenDocument, UTF-16, Windows-1252, broken files).

Run from anywhere: ``python tests/data/transcripts/make_fixtures.py``. The
output is committed beside this script; rerun it only to change the fixtures.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
BAD = HERE / "bad"

ENCODED_TEXT = (
    "Interviewer: Where did you train?\n"
    "P08: In Manchester – it’s where I met my “mentor”…\n"
    "\n"
    "She changed everything.\n"
    "Interviewer: Thank you.\n"
)


def text_fixtures() -> None:
    (HERE / "utf16.txt").write_bytes(ENCODED_TEXT.encode("utf-16"))  # BOM + little endian
    (HERE / "utf16be.txt").write_bytes(b"\xfe\xff" + ENCODED_TEXT.encode("utf-16-be"))
    (HERE / "cp1252.txt").write_bytes(ENCODED_TEXT.replace("\n", "\r\n").encode("cp1252"))
    (HERE / "bom_crlf.txt").write_bytes(b"\xef\xbb\xbf" + ENCODED_TEXT.replace("\n", "\r\n").encode("utf-8"))
    (HERE / "cr_only.txt").write_bytes(ENCODED_TEXT.replace("\n", "\r").encode("utf-8"))
    # Saved without a byte order mark (some export tools), and by an old Mac editor.
    (HERE / "utf16le_nobom.txt").write_bytes(ENCODED_TEXT.encode("utf-16-le"))
    (HERE / "utf16be_nobom.txt").write_bytes(ENCODED_TEXT.encode("utf-16-be"))
    (HERE / "mac_roman.txt").write_bytes(ENCODED_TEXT.replace("\n", "\r").encode("mac_roman"))


def docx_fixtures() -> None:
    from docx import Document
    from docx.shared import RGBColor

    doc = Document()
    doc.sections[0].header.paragraphs[0].text = "Transcribed by Acme Transcription Ltd"
    doc.sections[0].footer.paragraphs[0].text = "Page 1 of 1"
    doc.add_paragraph().add_run("Interview transcript: P09").bold = True
    doc.add_paragraph("Recorded 3 April 2025, 45 minutes")
    para = doc.add_paragraph()
    para.add_run("Interviewer:").bold = True
    para.add_run(" What does your week look like?")
    para = doc.add_paragraph()
    para.add_run("P09").bold = True
    para.add_run(" Busy. Meetings on Monday,")
    para.add_run().add_break()
    para.add_run("clinics the rest of the week.")
    doc.add_paragraph("")
    doc.add_paragraph("Fridays are for catching up.")
    doc.add_paragraph().add_run("Interviewer").bold = True
    doc.add_paragraph("Who decides what goes on the agenda?")
    para = doc.add_paragraph()
    para.add_run("P09:").bold = True
    para.add_run(" The chair, mostly. ")
    para.add_run("We do push back.").bold = True
    doc.save(HERE / "bold_labels.docx")

    doc = Document()
    doc.sections[0].header.paragraphs[0].text = "P10 interview – confidential"
    doc.add_paragraph("Transcript P10")
    table = doc.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = "Speaker"
    table.rows[0].cells[1].text = "Text"
    for speaker, text in [
        ("Interviewer", "How long have you been in post?"),
        ("P10", "Two years."),
        ("", "Nearly three, actually."),
        ("P10", "Before that I was a ward sister."),
        ("Interviewer", "Thank you."),
    ]:
        cells = table.add_row().cells
        cells[0].text = speaker
        cells[1].text = text
    doc.add_paragraph("P10: A last remark after the table.")
    doc.save(HERE / "table2.docx")

    doc = Document()
    table = doc.add_table(rows=1, cols=3)
    for cell, text in zip(table.rows[0].cells, ["Time", "Speaker", "Transcript"], strict=True):
        cell.text = text
    for time, speaker, text in [
        ("00:00:05", "Interviewer", "Shall we begin?"),
        ("00:00:09", "P11", "Yes."),
        ("00:01:15", "P11", "I have been thinking about your question."),
        ("00:02:00", "Interviewer", "Go on."),
    ]:
        cells = table.add_row().cells
        cells[0].text, cells[1].text, cells[2].text = time, speaker, text
    doc.save(HERE / "table3.docx")

    doc = Document()  # each speaker's name alone in its own plain paragraph above the speech
    for text in [
        "Interview notes",
        "Interviewer",
        "How are you?",
        "Jane Smith",
        "Fine, thanks.",
        "",
        "Interviewer",
        "Busy week?",
        "Jane Smith",
        "Absolutely",
        "Every day of it.",
    ]:
        doc.add_paragraph(text)
    doc.save(HERE / "name_alone.docx")

    doc = Document()  # speakers marked only by font colour, as some transcribers do
    for number, text in enumerate(["What is your role?", "I manage the team.", "Since when?", "Since 2019."]):
        run = doc.add_paragraph().add_run(text)
        run.font.color.rgb = RGBColor(0xC0, 0, 0) if number % 2 else RGBColor(0, 0, 0)
    doc.save(HERE / "colours.docx")


ODT_NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" office:version="1.2"'
)
ODT_CONTENT = f"""<?xml version="1.0" encoding="UTF-8"?>
<office:document-content {ODT_NS}>
<office:automatic-styles>
<style:style style:name="T1" style:family="text">
<style:text-properties fo:font-weight="bold"/></style:style>
</office:automatic-styles>
<office:body><office:text>
<text:sequence-decls/>
<text:h text:outline-level="1">Focus group 2 &#8211; transcript</text:h>
<text:p><text:span text:style-name="T1">MODERATOR:</text:span> Welcome. Let&apos;s start.</text:p>
<text:p><text:span text:style-name="T1">P04</text:span> I work in<text:line-break/>community care,\
<text:tab/>mostly\
<text:s text:c="3"/>nights.</text:p>
<text:p/>
<text:p>It is <text:span>hard</text:span> work\
<text:note><text:note-body><text:p>a footnote</text:p></text:note-body></text:note>.</text:p>
<text:list><text:list-item><text:p>P05: A list item answer.</text:p></text:list-item></text:list>
<table:table><table:table-row>
<table:table-cell><text:p>Moderator</text:p></table:table-cell>
<table:table-cell><text:p>Anything else?</text:p></table:table-cell>
</table:table-row><table:table-row>
<table:table-cell><text:p>P05</text:p></table:table-cell>
<table:table-cell><text:p>No.</text:p></table:table-cell>
</table:table-row></table:table>
</office:text></office:body></office:document-content>
"""
ODT_STYLES = f"""<?xml version="1.0" encoding="UTF-8"?>
<office:document-styles {ODT_NS}><office:master-styles><style:master-page style:name="Standard">
<style:header><text:p>Header: Confidential</text:p></style:header></style:master-page></office:master-styles>
</office:document-styles>
"""
ODT_MANIFEST = """<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">
<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.text"/>
<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>
<manifest:file-entry manifest:full-path="styles.xml" manifest:media-type="text/xml"/>
</manifest:manifest>
"""


def write_odt(path: Path, content: str) -> None:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(
            zipfile.ZipInfo("mimetype", (2025, 1, 1, 0, 0, 0)), "application/vnd.oasis.opendocument.text"
        )
        for name, data in [
            ("content.xml", content),
            ("styles.xml", ODT_STYLES),
            ("META-INF/manifest.xml", ODT_MANIFEST),
        ]:
            archive.writestr(zipfile.ZipInfo(name, (2025, 1, 1, 0, 0, 0)), data, zipfile.ZIP_DEFLATED)


WORD_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
WORD_REL = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'


def tracked_changes_fixture() -> None:
    """A Word transcript someone edited with Track Changes on (anonymising a place), with a
    hyperlink, a smart tag and a simple field: their words are text, deleted words are not."""
    from docx import Document
    from docx.oxml import parse_xml

    def add(paragraph, xml: str) -> None:
        paragraph._p.append(parse_xml(xml))

    change = 'w:author="Reviewer" w:date="2025-05-01T10:00:00Z"'
    doc = Document()
    para = doc.add_paragraph()
    para.add_run("Interviewer:").bold = True
    para.add_run(" Where did you train?")
    para = doc.add_paragraph()
    para.add_run("P12:").bold = True
    para.add_run(" At ")
    add(
        para,
        f'<w:del {WORD_NS} w:id="1" {change}><w:r><w:delText>St Mary’s in Leeds</w:delText></w:r></w:del>',
    )
    add(para, f'<w:ins {WORD_NS} w:id="2" {change}><w:r><w:t>[Hospital X]</w:t></w:r></w:ins>')
    add(para, f'<w:r {WORD_NS}><w:t xml:space="preserve">, near </w:t></w:r>')
    add(
        para,
        f'<w:smartTag {WORD_NS} w:uri="urn:places" w:element="place">'
        "<w:r><w:t>the coast</w:t></w:r></w:smartTag>",
    )
    add(para, f'<w:r {WORD_NS}><w:t xml:space="preserve">. See </w:t></w:r>')
    add(
        para, f'<w:hyperlink {WORD_NS} {WORD_REL} w:anchor="x"><w:r><w:t>the report</w:t></w:r></w:hyperlink>'
    )
    add(
        para,
        f'<w:fldSimple {WORD_NS} w:instr="DATE">'
        '<w:r><w:t xml:space="preserve"> of May</w:t></w:r></w:fldSimple>',
    )
    add(para, f"<w:r {WORD_NS}><w:t>.</w:t></w:r>")
    para = doc.add_paragraph()
    add(
        para,
        f'<w:ins {WORD_NS} w:id="3" {change}><w:r><w:rPr><w:b/></w:rPr><w:t>Interviewer:</w:t></w:r></w:ins>',
    )
    para.add_run(" Thank you.")
    doc.save(HERE / "tracked_changes.docx")


# A think-aloud session: numbered task prompts, unlabelled participant speech, stage directions
# and a moderator who speaks twice (labelled); the participant is never labelled.
THINK_ALOUD_CONTENT = f"""<?xml version="1.0" encoding="UTF-8"?>
<office:document-content {ODT_NS}>
<office:body><office:text>
<text:p>1 Open the &#8216;Home&#8217; tab.</text:p>
<text:p>(The participant reads the home tab)</text:p>
<text:p>1.a Is the information enough to understand the tool?</text:p>
<text:p>Okay, this is very clear I think.</text:p>
<text:p>Yes, I<text:s text:c="2"/>think it is pretty clear. You describe what you can do with it.</text:p>
<text:p>2 Log in with the details in the email.</text:p>
<text:p>I&apos;m going to log in. Okay I am already logged in.</text:p>
<text:p>MODERATOR: Could you choose fewer days? It would take a long time.</text:p>
<text:p>Okay, 30 days is okay?</text:p>
<text:p>MODERATOR: Sure, no problem</text:p>
<text:p>Okay, let&apos;s submit.</text:p>
<text:p>3.a Are the options clear to you?</text:p>
<text:p>Data use comment - Clear information</text:p>
<text:p>I would not add anything, the interface is quite clear.</text:p>
</office:text></office:body></office:document-content>
"""
LAUGHS = (
    '<!DOCTYPE d [<!ENTITY a "ha"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">'
    '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;">]>'
)
EXTERNAL = '<!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/hostname">]>'


def _replace_part(source: Path, target: Path, part: str, data: bytes) -> None:
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            new.writestr(info, data if info.filename == part else old.read(info))


def attack_fixtures() -> None:
    """Files made to hurt XML readers (small: three levels of entities), and disguised files."""
    BAD.mkdir(exist_ok=True)
    word = HERE / "bold_labels.docx"
    body = '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
    for name, doctype, entity in [
        ("entities.docx", LAUGHS, "&c;"),
        ("external_entity.docx", EXTERNAL, "&x;"),
    ]:
        paragraph = f"<w:p><w:r><w:t>P01: {entity}</w:t></w:r></w:p>"
        xml = f'<?xml version="1.0"?>\n{doctype}\n{body}{paragraph}</w:body></w:document>'
        _replace_part(word, BAD / name, "word/document.xml", xml.encode())
    for name, doctype, entity in [("entities.odt", LAUGHS, "&c;"), ("external_entity.odt", EXTERNAL, "&x;")]:
        content = ODT_CONTENT.replace("<office:document-content", f"{doctype}\n<office:document-content", 1)
        write_odt(BAD / name, content.replace("Welcome.", f"Welcome. {entity}"))
    (BAD / "truncated.docx").write_bytes(word.read_bytes()[: word.stat().st_size // 2])
    # An old Word 97-2003 .doc (an OLE compound file) renamed .docx.
    (BAD / "really_a_doc.docx").write_bytes(
        bytes.fromhex("D0CF11E0A1B11AE1") + bytes(504) + b"Interviewer: hi"
    )


def bad_fixtures() -> None:
    BAD.mkdir(exist_ok=True)
    (BAD / "empty.txt").write_bytes(b"")
    (BAD / "binary.txt").write_bytes(bytes(range(256)) * 4)
    (BAD / "corrupt.docx").write_bytes(b"PK\x03\x04 this is not really a zip archive")
    (BAD / "latin.txt").write_bytes(b"Interviewer: caf\x81 \x8d\n")  # bytes undefined in Windows-1252
    (BAD / "cues.vtt").write_bytes(b"WEBVTT\n\nthere are no cues here\n")


if __name__ == "__main__":
    text_fixtures()
    docx_fixtures()
    write_odt(HERE / "focus_group.odt", ODT_CONTENT)
    write_odt(HERE / "think_aloud.odt", THINK_ALOUD_CONTENT)
    tracked_changes_fixture()
    bad_fixtures()
    attack_fixtures()
    print(f"fixtures written to {HERE}")
