"""Wizard form classes are built once per (facts, language); forms never share state."""

from __future__ import annotations

import re

import pytest
from werkzeug.datastructures import MultiDict

from caseprep.rules.catalog import FactDef
from caseprep.web.wizard import forms

LABEL = {"en": "How many?", "zh_Hans": "多少？"}


def _facts():
    return [
        FactDef(id="t.count", type="int", section="evidence", question=LABEL, min=0),
        FactDef(id="t.kinds", type="list", section="where", question=LABEL,
                values=["telegram", "qq"]),
    ]


@pytest.fixture
def app(app):
    app.config["WTF_CSRF_ENABLED"] = False  # the field logic alone; CSRF is tested elsewhere
    return app


def test_same_facts_and_language_reuse_the_class(app):
    facts = _facts()
    with app.test_request_context():
        first = forms.build_form(facts, {}, "en")
        again = forms.build_form(list(facts), {"t.count": 3}, "en")
        chinese = forms.build_form(facts, {}, "zh_Hans")
    assert type(first) is type(again)
    assert type(chinese) is not type(first)
    assert first.f_t__count.label.text == "How many?"
    assert chinese.f_t__count.label.text == "多少？"


def test_a_reloaded_catalog_gets_a_class_of_its_own(app):
    old, new = _facts(), _facts()
    new[0] = FactDef(id="t.count", type="int", section="evidence",
                     question={"en": "Count?", "zh_Hans": "数量？"}, min=0)
    with app.test_request_context():
        before = forms.build_form(old, {}, "en")
        after = forms.build_form(new, {}, "en")
    assert type(before) is not type(after)
    assert after.f_t__count.label.text == "Count?"


def test_forms_of_one_class_share_no_state(app):
    facts = _facts()
    with app.test_request_context(method="POST"):
        bad = forms.build_form(facts, {}, "en", formdata=MultiDict({"f_t__count": "-4"}))
        assert not bad.validate()
        bad.f_t__count.errors = [*bad.f_t__count.errors, "extra"]
        bad.f_t__kinds.choices.append(forms.SelectChoice("whatsapp", "WhatsApp"))
        good = forms.build_form(facts, {}, "en", formdata=MultiDict(
            [("f_t__count", "7"), ("f_t__kinds", "qq")]))
        assert good.validate(), good.errors
        assert forms.answers_from(good, facts) == {"t.count": 7, "t.kinds": ["qq"]}
        shown = forms.build_form(facts, {"t.count": 5}, "en")
    assert type(bad) is type(good) is type(shown)
    assert list(good.f_t__count.errors) == [] and list(shown.f_t__count.errors) == []
    assert shown.f_t__count.data == 5 and shown.f_t__kinds.data == ["unknown"]
    assert [c.value for c in shown.f_t__kinds.choices] == ["telegram", "qq", "unknown"]


def test_places_form_class_follows_the_names(app):
    with app.test_request_context():
        en = forms.build_places_form([("cn", "Mainland China")], {"lives_in": "cn"})
        zh = forms.build_places_form([("cn", "中国大陆")], {})
        en_again = forms.build_places_form([("cn", "Mainland China")], {})
    assert type(en) is type(en_again) and type(zh) is not type(en)
    assert en.lives_in.data == "cn" and en_again.lives_in.data is None
    assert zh.poster_in.data == "unknown"
    assert zh.lives_in.choices[0].label == "中国大陆"


@pytest.mark.parametrize("step", ["jurisdictions", "what_happened", "evidence"])
@pytest.mark.parametrize("enabled", [True, False])
def test_wizard_forms_carry_the_csrf_field_as_hidden_tag_did(client, new_case, app, step,
                                                              enabled):
    new_case()
    app.config["WTF_CSRF_ENABLED"] = enabled
    html = client.get(f"/wizard/{step}").get_data(as_text=True)
    with client.session_transaction() as session:
        token_key = session.get("csrf_token")
    fields = re.findall(r'<input id="csrf_token" name="csrf_token" type="hidden" value="([^"]+)">',
                        html)
    assert len(fields) == (1 if enabled else 0)
    if enabled:  # the form's token is the page's token
        assert token_key and f'name="csrf_token" value="{fields[0]}"' in html
