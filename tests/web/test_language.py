"""Locale choice (explicit switch, then Accept-Language) and Chinese pages without English."""

from __future__ import annotations

import html as htmllib
import re

import pytest

from caseprep.appshell.i18n import normalize_locale
from tests.web.conftest import csrf_token
from tests.web.test_results import MOTIVATING
from tests.web.test_wizard import _post


@pytest.mark.parametrize(("tag", "expected"), [
    ("zh", "zh_Hans"), ("zh-CN", "zh_Hans"), ("zh-Hans", "zh_Hans"), ("zh_Hans", "zh_Hans"),
    ("zh-Hans-CN", "zh_Hans"), ("ZH-cn", "zh_Hans"), ("en", "en"), ("en-GB", "en"),
    ("fr", None), ("", None), (None, None),
])
def test_normalize_locale(tag, expected):
    assert normalize_locale(tag) == expected


@pytest.mark.parametrize(("header", "lang", "marker"), [
    ("zh-CN,zh;q=0.9", "zh-Hans", "快速离开"),
    ("zh-Hans", "zh-Hans", "快速离开"),
    ("zh", "zh-Hans", "快速离开"),
    ("fr-FR, zh-CN;q=0.8, en;q=0.5", "zh-Hans", "快速离开"),
    ("en-US,en;q=0.9", "en", "Quick exit"),
    ("de-DE", "en", "Quick exit"),
])
def test_accept_language_picks_the_locale(client, header, lang, marker):
    html = client.get("/", headers={"Accept-Language": header}).get_data(as_text=True)
    assert f'<html lang="{lang}">' in html
    assert marker in html


@pytest.mark.parametrize("locale", ["zh_Hans", "en"])
def test_explicit_switch_beats_accept_language(client, locale):
    other = "en-US" if locale == "zh_Hans" else "zh-CN"
    page = client.get("/resume", headers={"Accept-Language": other}).get_data(as_text=True)
    response = client.post("/language", data={"csrf_token": csrf_token(page), "locale": locale,
                                              "next": "/resume"})
    assert response.status_code == 303
    assert response.headers["Location"] == "/resume"
    html = client.get("/resume", headers={"Accept-Language": other}).get_data(as_text=True)
    assert f'<html lang="{locale.replace("_", "-")}">' in html


def test_switch_refuses_unknown_locales_and_offsite_targets(client):
    page = client.get("/").get_data(as_text=True)
    token = csrf_token(page)
    assert client.post("/language", data={"csrf_token": token, "locale": "xx"}).status_code == 400
    response = client.post("/language", data={"csrf_token": token, "locale": "en",
                                              "next": "https://evil.example/"})
    assert response.headers["Location"] == "/"


def test_switch_keeps_the_case_open_and_translates_the_wizard(client, new_case):
    new_case(locale="en")
    page = client.get("/wizard/who").get_data(as_text=True)
    assert "Who did it" in page
    client.post("/language", data={"csrf_token": csrf_token(page), "locale": "zh_Hans",
                                   "next": "/wizard/who"})
    page = client.get("/wizard/who").get_data(as_text=True)
    assert "是谁做的" in page and "我不知道" in page


# Words that may stay in Latin letters on a Chinese page: names, codes, key names.
ALLOWED_LATIN = {"caseprep", "English", "Esc", "Chrome", "Safari", "Firefox", "Telegram",
                 "WeChat", "QQ", "ABCD", "EFGH", "JKMN", "PQRS", "https", "TikTok",
                 "Instagram", "Facebook", "Reddit", "Discord", "WhatsApp", "Snapchat",
                 "Bilibili", "Weibo", "Douyin", "X", "AI", "PDF", "Word", "ZIP",
                 # Korean platforms are known by their Latin names in Chinese too.
                 "KakaoTalk", "LINE", "Naver", "Daum", "BAND", "Pornhub", "OnlyFans",
                 "Google", "Bing"}


def _visible_latin_words(page: str) -> set[str]:
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    body = re.sub(r'<span class="case-code"[^>]*>[^<]*</span>', " ", body)  # the case code
    body = re.sub(r"<[^>]+>", " ", body)
    text = htmllib.unescape(body)
    return {w for w in re.findall(r"[A-Za-z][A-Za-z'’]+", text)} - ALLOWED_LATIN


@pytest.mark.parametrize("path", ["/", "/new", "/resume", "/case", "/wizard/safety",
                                  "/wizard/jurisdictions", "/wizard/what_happened",
                                  "/wizard/who", "/wizard/where", "/wizard/evidence",
                                  "/wizard/goals", "/wizard/results"])
def test_chinese_pages_have_no_english_left(client, new_case, path):
    new_case(locale="zh_Hans")
    for step, answers in MOTIVATING.items():
        _post(client, step, answers)
    page = client.get(path).get_data(as_text=True)
    assert '<html lang="zh-Hans">' in page
    assert not _visible_latin_words(page), path
