"""Fields generated from the facts catalog: one per type, "I don't know" keeps it unknown."""

from __future__ import annotations

import datetime as dt

import pytest
from werkzeug.datastructures import MultiDict

from caseprep.rules.catalog import FactDef
from caseprep.rules.dates import ApproxDate
from caseprep.web.wizard import forms

LABEL = {"en": "Question?", "zh_Hans": "问题？"}
FACTS = {
    "bool": FactDef(id="t.flag", type="bool", section="what_happened", question=LABEL),
    "enum": FactDef(id="t.choice", type="enum", section="who", question=LABEL,
                    values=["friend", "stranger"],
                    value_labels={"friend": {"en": "A friend", "zh_Hans": "朋友"}}),
    "list": FactDef(id="t.many", type="list", section="where", question=LABEL,
                    values=["telegram", "qq"]),
    "int": FactDef(id="t.count", type="int", section="evidence", question=LABEL, min=0),
    "date": FactDef(id="t.when", type="date", section="what_happened", question=LABEL),
    "text": FactDef(id="t.story", type="text", section="what_happened", question=LABEL),
}

@pytest.fixture
def app(app):
    app.config["WTF_CSRF_ENABLED"] = False  # the field logic alone; CSRF is tested elsewhere
    return app


CASES = [
    ("bool", "yes", True), ("bool", "no", False), ("bool", "unknown", None), ("bool", None, None),
    ("enum", "friend", "friend"), ("enum", "unknown", None),
    ("list", ["telegram", "qq"], ["telegram", "qq"]), ("list", ["unknown"], None),
    ("list", ["unknown", "qq"], ["qq"]), ("list", [], None),
    ("int", "34", 34), ("int", "", None),
    ("date", "2026-03-01", dt.date(2026, 3, 1)), ("date", "", None),
    ("text", "  what happened  ", "what happened"), ("text", "   ", None),
]


@pytest.mark.parametrize(("kind", "submitted", "expected"), CASES)
def test_answers_from_each_type(app, kind, submitted, expected):
    fact = FACTS[kind]
    name = forms.field_name(fact.id)
    data = MultiDict()
    if isinstance(submitted, list):
        for item in submitted:
            data.add(name, item)
    elif submitted is not None:
        data.add(name, submitted)
    with app.test_request_context(method="POST"):
        form = forms.build_form([fact], {}, "en", formdata=data)
        assert form.validate(), form.errors
        assert forms.answers_from(form, [fact]) == {fact.id: expected}


def test_i_dont_know_is_an_answer_where_the_catalog_lists_unknown(app):
    """"Who posted it? I don't know" decides routes (an unidentified poster is no news outlet:
    the public-concern exception cannot apply), so it is stored, not dropped; where the catalog
    has no `unknown` value, "I don't know" leaves the question open."""
    who = FactDef(id="t.who", type="enum", section="who", question=LABEL,
                  values=["ex_partner", "news_media", "unknown"])
    data = MultiDict({forms.field_name(who.id): "unknown"})
    with app.test_request_context(method="POST"):
        form = forms.build_form([who], {}, "en", formdata=data)
        assert form.validate(), form.errors
        assert forms.answers_from(form, [who]) == {who.id: "unknown"}


def test_i_dont_know_who_posted_lets_the_federal_claim_be_met():
    from caseprep.rules import assess, load_jurisdictions

    us = load_jurisdictions()["us"]
    facts = {"content.kinds": ["intimate_image"], "content.shared_with_consent": False,
             "victim.is_minor": False, "distribution.platforms": ["x"],
             "incident.posted_on": dt.date(2026, 6, 10), "content.face_visible": True,
             "content.commercial_pornography": False}
    def status(answers):
        routes = assess(us, answers, today=dt.date(2026, 11, 27)).routes
        return next(r.status for r in routes if r.id == "civil_6851")
    assert status(facts) == "unknown"  # who posted it is still to be asked
    assert status({**facts, "perpetrator.relationship": "unknown"}) == "met"


@pytest.mark.parametrize(("kind", "value"), [("int", "-1"), ("int", "many"),
                                              ("enum", "enemy"), ("list", "whatsapp"),
                                              ("date", "31/02/2026")])
def test_invalid_answers_are_refused(app, kind, value):
    fact = FACTS[kind]
    with app.test_request_context(method="POST"):
        form = forms.build_form([fact], {}, "en",
                                formdata=MultiDict({forms.field_name(fact.id): value}))
        assert not form.validate()


@pytest.mark.parametrize(("kind", "stored", "shown"), [
    ("bool", None, "unknown"), ("bool", False, "no"), ("enum", None, "unknown"),
    ("list", None, ["unknown"]), ("list", ["qq"], ["qq"]), ("int", 7, 7),
])
def test_stored_answers_prefill_the_field(app, kind, stored, shown):
    fact = FACTS[kind]
    with app.test_request_context():
        form = forms.build_form([fact], {fact.id: stored} if stored is not None else {}, "en")
        assert form[forms.field_name(fact.id)].data == shown


@pytest.mark.parametrize(("lang", "label", "choice"), [("en", "Question?", "A friend"),
                                                       ("zh_Hans", "问题？", "朋友")])
def test_labels_come_from_the_catalog_in_the_language(app, lang, label, choice):
    fact = FACTS["enum"]
    with app.test_request_context():
        field = forms.build_form([fact], {}, lang)[forms.field_name(fact.id)]
        assert field.label.text == label
        assert [c.label for c in field.choices][0] == choice
        assert str([c.label for c in field.choices][-1]) in ("I don't know", "我不知道")


@pytest.mark.parametrize(("picked", "rough", "expected"), [
    ("", "2021-05", "2021-05"),
    ("", "2021", "2021"),
    ("2026-03-01", "2021", dt.date(2026, 3, 1)),  # the day picked wins
    ("", "", None),
])
def test_a_month_or_a_year_is_an_answer(app, picked, rough, expected):
    fact = FACTS["date"]
    name = forms.field_name(fact.id)
    data = MultiDict({name: picked, f"{name}_rough": rough})
    with app.test_request_context(method="POST"):
        form = forms.build_form([fact], {}, "en", formdata=data)
        assert form.validate(), form.errors
        answer = forms.answers_from(form, [fact])[fact.id]
        assert answer == expected
        if isinstance(expected, str):
            assert isinstance(answer, ApproxDate)


def test_a_rough_date_that_is_not_one_is_refused_with_the_forms_it_takes(app):
    fact = FACTS["date"]
    name = forms.field_name(fact.id)
    with app.test_request_context(method="POST"):
        form = forms.build_form([fact], {}, "en",
                                formdata=MultiDict({name: "", f"{name}_rough": "May 2021"}))
        assert not form.validate()
        assert "2021-05" in str(form[name].errors[0])


def test_a_stored_month_is_shown_in_the_rough_box(app):
    fact = FACTS["date"]
    with app.test_request_context():
        form = forms.build_form([fact], {fact.id: ApproxDate("2021-05")}, "en")
        html = str(form[forms.field_name(fact.id)]())
        assert 'value="2021-05"' in html and 'name="f_t__when_rough"' in html
        assert 'type="date"' in html
