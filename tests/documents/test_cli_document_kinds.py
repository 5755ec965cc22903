"""`caseprep generate --docs` lists and accepts the kinds of the one registry of document kinds
(caseprep.rules.schema.DOCUMENT_KINDS), the same the documents model, the rule validator and
the templates folder use."""

from __future__ import annotations

import re

from click.testing import CliRunner

from caseprep import paths
from caseprep.cli import main
from caseprep.documents import model
from caseprep.rules.schema import CASE_DOCUMENT_KINDS, DOCUMENT_KINDS, ROUTE_DOCUMENT_KINDS


def test_the_help_lists_every_registered_kind_in_order():
    result = CliRunner().invoke(main, ["generate", "--help"], terminal_width=200)
    assert result.exit_code == 0, result.output
    listed = re.search(r"Comma-separated kinds: (.+?)\. Default", " ".join(result.output.split()))
    assert listed, result.output
    assert listed.group(1).split(", ") == list(DOCUMENT_KINDS)


def test_an_unknown_kind_is_refused_with_the_registered_ones(tmp_path):
    facts = tmp_path / "facts.yaml"
    facts.write_text("content.kinds: [everyday_photo]\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["generate", "cn", "--facts", str(facts), "--docs",
                                       "police_report,love_letter", "--out", str(tmp_path)])
    assert result.exit_code != 0
    assert "love_letter" in result.output
    assert ", ".join(DOCUMENT_KINDS) in " ".join(result.output.split())


def test_one_registry_for_the_model_the_rules_and_the_templates():
    assert model.KINDS is DOCUMENT_KINDS
    assert len(set(DOCUMENT_KINDS)) == len(DOCUMENT_KINDS)
    assert set(ROUTE_DOCUMENT_KINDS) | set(CASE_DOCUMENT_KINDS) == set(DOCUMENT_KINDS)
    assert not set(ROUTE_DOCUMENT_KINDS) & set(CASE_DOCUMENT_KINDS)
    folder = paths.resource_dir("templates") / "documents"
    for kind in DOCUMENT_KINDS:
        assert (folder / kind).is_dir(), kind
        assert kind in model.KIND_DETAILS, kind
