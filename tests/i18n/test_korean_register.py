"""One register for her: the Korean route texts of kr.yaml (shown on the results page and in
her evidence checklist) speak 해요체 like the interface, while the documents' own wording
(templates/documents/phrases.yaml) stays formal, as a 고소장 or 소장 must."""

from __future__ import annotations

import re

import pytest
import yaml

from caseprep import paths
from caseprep.documents.phrases import load_phrases

# 합쇼체 endings at the end of a sentence.
FORMAL = re.compile(r"[\uac00-\ud7a3](?:습니다|ㅂ니다|니다|십시오)(?=[.!?)\s]|$)")
# What a rule file shows her; citations quote the statutes and stay as written, and a route's
# `elements` are pleaded in a complaint (원고는 … 입었습니다), the documents' formal register.
NOT_HER_TEXT = {"quote", "case_cause", "addressee", "title", "name", "elements"}


def _korean_texts(node, path=()):
    if isinstance(node, dict):
        for key, value in node.items():
            if key in NOT_HER_TEXT:
                continue
            if key == "ko" and isinstance(value, str):
                yield path, value
            else:
                yield from _korean_texts(value, (*path, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _korean_texts(value, (*path, i))


def _kr():
    with (paths.resource_dir("jurisdictions") / "kr.yaml").open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def test_korean_route_texts_speak_haeyo():
    texts = list(_korean_texts(_kr()["routes"]))
    assert len(texts) > 100
    formal = [(path, text[:60]) for path, text in texts if FORMAL.search(text)]
    assert not formal, formal[:5]
    assert sum("요" in text for _path, text in texts) > 80


def test_documents_keep_the_formal_register():
    phrases = load_phrases()
    purpose = phrases["kr.complaint.purpose_met"]["ko"]
    assert purpose.endswith("주시기 바랍니다.")
    assert phrases["kr.complaint.pledge"]["ko"].endswith("서약합니다.")
    # Notes to her inside a document (…_note: "edit it before filing") may speak to her.
    assert not [key for key, text in phrases.items()
                if key.startswith(("kr.complaint.", "kr.civil.")) and not key.endswith("_note")
                and isinstance(text["ko"], str) and text["ko"].endswith("요.")]


@pytest.mark.parametrize("code", ["cn", "us", "us-ca", "us-fl", "us-il", "us-ny", "us-tx"])
def test_a_korean_reader_of_other_places_routes_reads_korean(code):
    """A Korean interface user in mainland China or the United States: every text of those
    files' routes and helplines has Korean, in the same register (statute names aside)."""
    with (paths.resource_dir("jurisdictions") / f"{code}.yaml").open(encoding="utf-8") as fh:
        us = yaml.safe_load(fh)
    missing, texts = [], []

    def walk(node, path=()):
        if isinstance(node, dict):
            if isinstance(node.get("en"), str) and "zh_Hans" in node:
                if "ko" not in node:
                    missing.append(path)
                elif not NOT_HER_TEXT.intersection(p for p in path if isinstance(p, str)):
                    texts.append((path, node["ko"]))
                return
            for key, value in node.items():
                walk(value, (*path, key))
        elif isinstance(node, list):
            for i, value in enumerate(node):
                walk(value, (*path, i))

    walk({"routes": us["routes"], "helplines": us.get("helplines") or []})
    assert not missing, missing[:5]
    assert len(texts) > 20
    assert not [(p, t[:50]) for p, t in texts if FORMAL.search(t)]
