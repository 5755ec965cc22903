"""Korean legal writing for documents: citations as the statutes number themselves, dates."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import yaml

from caseprep import paths
from caseprep.documents.korean import korean_articles, korean_date, resolve_particles


@pytest.mark.parametrize(("article", "expected"), [
    ("14(2)", "제14조제2항"),
    ("15", "제15조"),
    ("15-3", "제15조의3"),
    ("23-2(1)", "제23조의2제1항"),
    ("766(2), (3)", "제766조제2항·제3항"),
    ("249(1)4, 5", "제249조제1항제4호·제5호"),
    ("249(1)4; 252(1); 253(3)", "제249조제1항제4호, 제252조제1항, 제253조제3항"),
    ("44-7(1)1, 9; (3); (4)", "제44조의7제1항제1호·제9호, 제3항, 제4항"),
    ("7-3(1)-(5)", "제7조의3제1항부터 제5항까지"),
    ("20(1); 20(4)2", "제20조제1항, 제20조제4항제2호"),
    ("14(2) (before Act No. 15977)", "제14조제2항 (before Act No. 15977)"),
    # Supplementary provisions are cited as the rule file writes them, never renumbered.
    ("부칙 <제17264호> 1", "부칙 <제17264호> 1"),
    ("부칙 <제21066호> 1; 7", "부칙 <제21066호> 1; 7"),
])
def test_articles_are_cited_the_korean_way(article, expected):
    assert korean_articles(article) == expected


def _articles(node) -> set[str]:
    """Every `article:` value anywhere in a loaded rule file."""
    if isinstance(node, dict):
        found = {str(node["article"])} if "article" in node else set()
        return found.union(*(_articles(value) for value in node.values()))
    if isinstance(node, list):
        return set().union(*(_articles(item) for item in node))
    return set()


def test_every_article_of_the_korean_rule_file_is_cited_without_losing_a_number():
    """Each number of a citation in jurisdictions/kr.yaml survives the conversion, in order."""
    with (paths.resource_dir("jurisdictions") / "kr.yaml").open(encoding="utf-8") as fh:
        articles = _articles(yaml.safe_load(fh))
    assert len(articles) > 20
    for article in articles:
        cited = korean_articles(article)
        assert re.findall(r"\d+", cited) == re.findall(r"\d+", article), (article, cited)
        assert "(" not in cited or "Act No." in cited or "부칙" in cited, cited


def test_dates_are_printed_as_korean_papers_print_them():
    assert korean_date(dt.date(2026, 2, 1)) == "2026. 2. 1."
    assert korean_date(dt.date(2025, 12, 18)) == "2025. 12. 18."


@pytest.mark.parametrize(("written", "printed"), [
    ("고소인은(는) 피고소인을(를) 고소합니다", "고소인은 피고소인을 고소합니다"),
    ("원고은(는) 피고을(를) 상대로", "원고는 피고를 상대로"),
    ("피고소인이(가) 게시하였습니다", "피고소인이 게시하였습니다"),
    ("사진 34장과(와) 동영상 2개과(와)", "사진 34장과 동영상 2개와"),
    ("반포등(성폭력처벌법 제14조제2항)으로(로)", "반포등(성폭력처벌법 제14조제2항)으로"),
    ("협박(형법 제283조)으로(로)", "협박(형법 제283조)으로"),
    ("텔레그램 단체방으로(로)", "텔레그램 단체방으로"),
    ("서울으로(로)", "서울로"),
    ("「형법」으로(로)", "「형법」으로"),
    ("에게 [작성 필요: 청구 금액]을(를) 지급하라", "에게 [작성 필요: 청구 금액]을 지급하라"),
    ("금 50,000,000원을(를)", "금 50,000,000원을"),
    ('<span class="placeholder">[법률사무소]</span>은(는)',
     '<span class="placeholder">[법률사무소]</span>는'),
    ("Telegram은(는)", "Telegram은(는)"),  # unknown sound: the written pair stays
])
def test_particles_follow_the_sound_before_them(written, printed):
    assert resolve_particles(written) == printed
