"""The wizard's fields are written by WTForms' own widgets, escaped by markupsafe: every
question input on every rendered step is byte for byte what `wtforms.widgets.html_params`
writes for its attributes, and hostile labels stay text."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from flask_babel import force_locale
from wtforms.widgets import html_params

from caseprep import paths
from caseprep.rules.catalog import FactDef
from caseprep.web.wizard import forms
from tests.web.conftest import PASSPHRASE, csrf_token

STEPS = ["what_happened", "who", "where", "evidence", "wellbeing", "goals"]
LABEL = {"en": "Question?", "zh_Hans": "问题？"}


class _FactInputs(HTMLParser):
    """The question inputs of a page (names `f_...`), with their attributes as parsed."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[dict] = []

    def handle_starttag(self, tag, attrs):
        named = dict(attrs)
        if tag == "input" and (named.get("name") or "").startswith("f_"):
            self.found.append({k: True if v is None else v for k, v in attrs})


def _fact_inputs(page: str) -> list[dict]:
    parser = _FactInputs()
    parser.feed(page)
    return parser.found


@pytest.fixture
def app_config(app_config):
    return {**app_config, "rules_path": paths.resource_dir("jurisdictions")}


@pytest.mark.parametrize(("locale", "lives_in"), [("en", "us-ca"), ("zh_Hans", "cn"),
                                                  ("ko", "kr")])
def test_every_step_writes_inputs_as_markupsafe_does(client, locale, lives_in):
    page = client.get("/new").get_data(as_text=True)
    client.post("/new", data={"csrf_token": csrf_token(page), "passphrase": PASSPHRASE,
                              "passphrase_again": PASSPHRASE, "locale": locale,
                              "lives_in": lives_in})
    checked = 0
    for step in STEPS:
        for part in range(1, 4):
            page = client.get(f"/wizard/{step}?part={part}").get_data(as_text=True)
            for attrs in _fact_inputs(page):
                assert f"<input {html_params(**attrs)}>" in page, (step, part, attrs)
                checked += 1
    assert checked > 50


FACTS = [
    FactDef(id="t.flag", type="bool", section="what_happened", question=LABEL),
    FactDef(id="t.choice", type="enum", section="who", question=LABEL,
            values=["friend", "stranger"],
            value_labels={"friend": {"en": 'A "friend" & <b>co</b>', "zh_Hans": "朋友"}}),
    FactDef(id="t.many", type="list", section="where", question=LABEL, values=["telegram", "qq"]),
    FactDef(id="t.count", type="int", section="evidence", question=LABEL, min=0, max=10),
    FactDef(id="t.when", type="date", section="what_happened", question=LABEL),
]
ANSWERS = {"t.flag": False, "t.choice": "friend", "t.many": ["qq"], "t.count": 3}


def test_fields_keep_answers_and_escape_labels(app):
    app.config["WTF_CSRF_ENABLED"] = False
    with app.test_request_context(), force_locale("en"):
        form = forms.build_form(FACTS, ANSWERS, "en")
        rendered = {fact.id: str(form[forms.field_name(fact.id)]) for fact in FACTS}
        choice = [str(option.label) for option in form[forms.field_name("t.choice")]]
    assert re.search(r'<input checked id="f_t__flag-1" name="f_t__flag" type="radio" '
                     r'value="no">', rendered["t.flag"])
    assert 'max="10" min="0"' in rendered["t.count"] and 'value="3"' in rendered["t.count"]
    assert rendered["t.many"].count('type="checkbox"') == 3
    assert re.search(r'<input checked id="f_t__many-1"', rendered["t.many"])
    assert "A &#34;friend&#34; &amp; &lt;b&gt;co&lt;/b&gt;" in choice[0]  # markupsafe's escapes
    assert "<b>" not in "".join(choice)
    assert 'class="rough-date"' in rendered["t.when"] and 'maxlength="7"' in rendered["t.when"]
