"""Chinese numerals and citation style (第一千零一十九条, 第二百五十三条之一)."""

import pytest

from caseprep.documents import html, model
from caseprep.documents.numerals import chinese_articles, chinese_number
from tests.documents import sample_data as sd


@pytest.mark.parametrize(("n", "text"), [
    (1, "一"), (10, "十"), (15, "十五"), (20, "二十"), (101, "一百零一"), (110, "一百一十"),
    (253, "二百五十三"), (364, "三百六十四"), (1000, "一千"), (1019, "一千零一十九"),
    (1195, "一千一百九十五"), (1200, "一千二百"), (1003, "一千零三"),
])
def test_chinese_number(n, text):
    assert chinese_number(n) == text


@pytest.mark.parametrize(("article", "text"), [
    ("1019", "第一千零一十九条"),
    ("253-1", "第二百五十三条之一"),
    ("364(1)", "第三百六十四条第一款"),
    ("88; 89", "第八十八条、第八十九条"),
    ("3(1)(二)", "第三条第一款第（二）项"),
    ("3(1)(一)–(三)", "第三条第一款第（一）项至第（三）项"),
    ("举报范围 (reporting scope)", "举报范围 (reporting scope)"),
])
def test_chinese_articles(article, text):
    assert chinese_articles(article) == text


def test_cn_documents_cite_in_chinese_style_without_stray_spaces():
    assessment = sd.cn_assessment()
    assessment["routes"][1]["citations"] = [dict(sd.CN_CITE_364, article="253-1")]
    assessment["routes"][1]["status"] = "met"  # a report cites what it claims
    doc = model.build("police_report", assessment, sd.FACTS, sd.EVIDENCE, None, sd.DETAILS)
    markup = html.render_html(doc)
    assert "《中华人民共和国刑法》第二百五十三条之一" in markup
    body = markup.split("<body", 1)[1]
    assert "253-1" not in body and "第 " not in body
    english = model.build("police_report", assessment, sd.FACTS, sd.EVIDENCE, "en", sd.DETAILS)
    assert "art. 253-1" in html.render_html(english)


def test_english_counts_take_the_singular_for_one():
    from caseprep.documents.phrases import phrase

    assert str(phrase("count.evidence.images_count", "en", n=1)) == "1 image"
    assert str(phrase("count.evidence.images_count", "en", n=34)) == "34 images"
    assert str(phrase("checklist.items_logged", "en", n=1)) == "1 item in the evidence log"
    assert str(phrase("count.evidence.images_count", "zh_Hans", n=1)) == "图片1张"
