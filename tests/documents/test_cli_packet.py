"""`caseprep generate` from a facts file alone, and the case packet's contents."""

from __future__ import annotations

import csv
import io
import json
import zipfile

import yaml
from click.testing import CliRunner

from caseprep.cli import main
from caseprep.documents.packet import build_packet, manifest_csv, manifest_rows
from caseprep.documents.service import GeneratedFile
from tests.documents.helpers import docx_text

FACTS = {
    "content.kinds": ["everyday_photo"], "content.shared_with_consent": False,
    "content.still_online": True, "distribution.platforms": ["telegram"],
    "evidence.images_count": 34, "victim.name": "CLI 受害人",
    "narrative": "CLI-NARRATIVE 经过", "perpetrator.handles": "@cli_handle",
}
EVIDENCE = {"items": [
    {"index": 1, "kind": "image", "platform": "telegram", "reference": "t.me/c/5/1",
     "poster": "@cli_handle", "posted_at": "2026-02-01T08:00:00", "sha256": "c" * 64,
     "size": 10},
    {"index": 2, "kind": "chat_message", "platform": "telegram",
     "reference": "=HYPERLINK(\"http://x\")", "poster": "-1001", "sha256": "", "size": ""},
]}


def _run(tmp_path, *args):
    facts = tmp_path / "facts.yaml"
    facts.write_text(yaml.safe_dump(FACTS, allow_unicode=True), encoding="utf-8")
    evidence = tmp_path / "evidence.json"
    evidence.write_text(json.dumps(EVIDENCE), encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["generate", *args, "--facts", str(facts),
                                       "--evidence", str(evidence), "--out", str(out)])
    return result, out


def test_generate_docx_from_a_facts_file_and_packet(tmp_path):
    result, out = _run(tmp_path, "cn", "--docs", "civil_complaint,evidence_list",
                       "--format", "docx", "--packet")
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in out.iterdir())
    assert names == ["case-packet.zip", "civil_complaint-cn-zh_Hans.docx",
                     "evidence_list-cn-zh_Hans.docx"]
    assert "to complete" in result.output  # the civil complaint has placeholders
    text = docx_text((out / "civil_complaint-cn-zh_Hans.docx").read_bytes())
    assert "CLI 受害人" in text and "@cli_handle" in text
    assert "CLI-NARRATIVE 经过" not in text  # her own words go to the 控告书's appendix only
    archive = zipfile.ZipFile(out / "case-packet.zip")
    assert set(archive.namelist()) == {
        "index.html", "evidence-manifest.csv", "evidence-manifest.json",
        "documents/civil_complaint-cn-zh_Hans.docx", "documents/evidence_list-cn-zh_Hans.docx"}
    index = archive.read("index.html").decode()
    assert 'href="documents/civil_complaint-cn-zh_Hans.docx"' in index
    assert "http" not in index.replace('href="documents/', "").split("<body>")[0]


def test_default_docs_follow_the_routes_and_lang_adds_a_marked_version(tmp_path):
    result, out = _run(tmp_path, "cn", "--format", "html", "--lang", "en")
    assert result.exit_code == 0, result.output
    names = {p.name for p in out.iterdir()}
    assert "civil_complaint-cn-zh_Hans.html" in names and "civil_complaint-cn-en.html" in names
    assert any(n.startswith("takedown_notice-telegram-") for n in names)
    english = (out / "civil_complaint-cn-en.html").read_text(encoding="utf-8")
    assert "not for filing" in english


def test_cli_errors_are_clear(tmp_path):
    result, _ = _run(tmp_path, "xx")
    assert result.exit_code != 0 and "no rule file for 'xx'" in result.output
    result, _ = _run(tmp_path, "cn", "--docs", "love_letter")
    assert result.exit_code != 0 and "unknown document kind" in result.output
    bad = tmp_path / "bad.yaml"
    bad.write_text("content.kindz: [x]\n")
    result = CliRunner().invoke(main, ["generate", "cn", "--facts", str(bad), "--out",
                                       str(tmp_path / "o")])
    assert result.exit_code != 0 and "content.kindz" in result.output


def test_manifest_csv_neutralises_formulas_and_json_keeps_values():
    rows = manifest_rows(EVIDENCE["items"])
    table = list(csv.DictReader(io.StringIO(manifest_csv(rows).decode("utf-8-sig"))))
    assert table[1]["reference"].startswith("'=HYPERLINK")
    assert table[0]["poster"] == "'@cli_handle"
    assert table[0]["sha256"] == "c" * 64
    packet = build_packet([GeneratedFile("a.pdf", b"%PDF", "application/pdf", "evidence_list",
                                         "en", True)], EVIDENCE["items"], lang="en",
                          jurisdiction_name="<b>X</b>")
    archive = zipfile.ZipFile(io.BytesIO(packet))
    assert json.loads(archive.read("evidence-manifest.json"))["items"][1]["reference"] \
        == '=HYPERLINK("http://x")'
    assert "&lt;b&gt;X&lt;/b&gt;" in archive.read("index.html").decode()
