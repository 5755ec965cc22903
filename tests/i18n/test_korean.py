"""The Korean interface: Korean browsers get it, the switch offers it, its texts are Korean."""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest
from babel.messages.pofile import read_po

from caseprep import paths
from caseprep.appshell.i18n import LOCALE_NAMES, LOCALES, normalize_locale
from caseprep.documents.fonts import choose_fonts
from caseprep.documents.pdf import render_pdf
from caseprep.rules.dates import ApproxDate, spoken
from tests.documents.helpers import pdf_fonts, pdf_text

HANGUL = re.compile(r"[\uac00-\ud7a3]")
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")
# Entries that may stay as they are in Korean: the product's name and punctuation.
SAME_IN_KOREAN = {"caseprep", ", ", "; "}


def _korean_catalog():
    po = paths.resource_dir("translations") / "ko" / "LC_MESSAGES" / "messages.po"
    with po.open("rb") as fh:
        return read_po(fh, locale="ko")


def _csrf(html: str) -> str:
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
    assert match, "no CSRF token on the page"
    return match.group(1)


def test_korean_is_shipped_with_its_own_name():
    assert "ko" in LOCALES
    assert LOCALE_NAMES["ko"] == "한국어"


@pytest.mark.parametrize(("tag", "expected"), [
    ("ko", "ko"), ("ko-KR", "ko"), ("KO_kr", "ko"), ("kok", None), ("zh-CN", "zh_Hans"),
])
def test_korean_tags_map_to_ko(tag, expected):
    assert normalize_locale(tag) == expected


def test_catalog_declares_one_plural_form():
    catalog = _korean_catalog()
    assert catalog.num_plurals == 1
    assert "nplurals=1; plural=0;" in catalog.plural_forms
    plurals = [m for m in catalog if m.id and isinstance(m.id, tuple | list)]
    assert plurals and all(len(m.string) == 1 and m.string[0] for m in plurals)


def test_every_korean_entry_is_written_in_hangul():
    """No English left behind: each entry (codes and punctuation aside) has Hangul in it."""
    def korean(text: str) -> bool:
        words = PLACEHOLDER.sub("", text)
        return bool(HANGUL.search(words)) or not any(c.isalpha() for c in words)

    not_korean = [m.id for m in _korean_catalog() if m.id and m.id not in SAME_IN_KOREAN
                  and not all(map(korean, m.string if isinstance(m.string, tuple)
                                  else [m.string]))]
    assert not not_korean, f"not Korean: {not_korean[:10]}"


def test_interface_speaks_haeyo_not_hapsyo():
    """One register in the interface: 해요체, not 합쇼체 (…습니다/…십시오) mixed in."""
    formal = [m.string for m in _korean_catalog() if m.id and isinstance(m.string, str)
              and re.search(r"(습니다|십시오|합니다|됩니다)[.?!]?$", m.string)]
    assert not formal, formal[:10]


@pytest.mark.parametrize("header", ["ko-KR,ko;q=0.9,en-US;q=0.8", "ko", "fr-FR, ko;q=0.5"])
def test_korean_browser_gets_the_korean_interface(client, header):
    html = client.get("/", headers={"Accept-Language": header}).get_data(as_text=True)
    assert '<html lang="ko">' in html
    assert "바로 나가기" in html


def test_language_switch_offers_and_sets_korean(client):
    page = client.get("/resume", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert 'lang="ko">한국어</button>' in page
    client.post("/language", data={"csrf_token": _csrf(page), "locale": "ko", "next": "/resume"})
    html = client.get("/resume", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert '<html lang="ko">' in html and "사건 코드" in html


def test_dates_are_written_the_korean_way():
    assert spoken(dt.date(2025, 5, 19), "ko") == "2025년 5월 19일"
    assert spoken(ApproxDate("2021-05"), "ko") == "2021년 5월"


# Words that may stay in Latin letters on a Korean page: names, codes, formats, key names.
ALLOWED_LATIN = {"caseprep", "English", "Esc", "Chrome", "Safari", "Firefox", "Telegram",
                 "ABCD", "EFGH", "JKMN", "PQRS", "https", "X", "AI", "PDF", "Word", "ZIP",
                 "DOCX", "CSV", "JSON", "QQ", "RED", "Pornhub", "OnlyFans", "SNS", "SHA", "ID",
                 "WeChat", "Bing", "URL", "KCSC"}
PASSPHRASE = "correct horse battery staple"
# An adult whose former partner posted pictures she took of herself (issue 16's first walk).
SELF_TAKEN = {
    "what_happened": {"f_content__kinds": ["intimate_image"], "f_content__self_created": "yes",
                      "f_content__shared_with_consent": "no",
                      "f_incident__posted_on": "2025-03-10",
                      "f_incident__first_known": "2025-03-12"},
    "who": {"f_perpetrator__identified": "yes", "f_perpetrator__relationship": "ex_partner"},
    "where": {"f_distribution__platforms": ["telegram", "kakaotalk"],
              "f_distribution__for_profit": "no"},
    "goals": {"f_goals": ["removal", "prosecution"]},
}


def _visible_latin_words(page: str) -> set[str]:
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    body = re.sub(r'<span class="case-code"[^>]*>[^<]*</span>', " ", body)
    text = html.unescape(re.sub(r"<[^>]+>", " ", body))
    return set(re.findall(r"[A-Za-z][A-Za-z'’]+", text))


def _open_korean_case(client, lives_in="kr"):
    page = client.get("/new").get_data(as_text=True)
    response = client.post("/new", data={
        "csrf_token": _csrf(page), "passphrase": PASSPHRASE, "passphrase_again": PASSPHRASE,
        "locale": "ko", "lives_in": lives_in})
    assert response.status_code == 303
    client.get(response.headers["Location"])
    for step, answers in SELF_TAKEN.items():
        page = client.get(f"/wizard/{step}").get_data(as_text=True)
        asked = re.search(r'name="asked" value="([^"]*)"', page)
        response = client.post(f"/wizard/{step}", data={
            "csrf_token": _csrf(page), "asked": asked.group(1) if asked else "", **answers})
        assert response.status_code == 303, step


@pytest.mark.parametrize("path", ["/", "/case", "/wizard/safety", "/wizard/jurisdictions",
                                  "/wizard/what_happened", "/wizard/who", "/wizard/where",
                                  "/wizard/evidence", "/wizard/wellbeing", "/wizard/goals",
                                  "/wizard/results", "/documents/", "/evidence/"])
def test_korean_pages_of_a_korean_case_have_no_english_left(app, client, path):
    _open_korean_case(client)
    page = client.get(path, follow_redirects=True).get_data(as_text=True)
    assert '<html lang="ko">' in page
    # A place whose rule file has no Korean name yet is listed under its English name.
    rules = app.extensions["caseprep.rules"]
    untranslated_names = {word for j in rules.jurisdictions.values() if "ko" not in j.name
                          for word in re.findall(r"[A-Za-z]+", j.name.get("en", ""))}
    left = _visible_latin_words(page) - ALLOWED_LATIN - untranslated_names
    assert not left, f"{path}: {sorted(left)}"


def test_korean_pdf_text_is_set_in_a_korean_face():
    """Hangul in a Korean document comes from Noto CJK KR, embedded, and reads back as Hangul."""
    fonts = choose_fonts("ko")
    assert fonts.cjk_family in ("Noto Serif CJK KR", "Noto Sans CJK KR")
    assert fonts.word_cjk_family == "Batang"  # a DOCX names the font Korean Word has
    sentence = "고소인은 피고소인을 처벌하여 주시기 바랍니다. ○○경찰서장 귀하"
    pdf = render_pdf(f'<html lang="ko"><head><style>html {{ font-family: {fonts.css_stack()}; }}'
                     f"</style></head><body><p>{sentence}</p></body></html>")
    embedded = [line for line in pdf_fonts(pdf).splitlines() if "CJK-KR" in line]
    assert embedded and all(" yes " in line for line in embedded)
    assert sentence in " ".join(pdf_text(pdf).split())


def test_quick_exit_of_a_korean_case_opens_a_korean_weather_site(client):
    _open_korean_case(client)
    assert client.get("/exit").headers["Location"] == "https://www.weather.go.kr/"
