"""The wizard's faster widgets write exactly the HTML that WTForms' own widgets write."""

from __future__ import annotations

import pytest
from flask_babel import force_locale, lazy_gettext
from markupsafe import Markup
from wtforms import widgets as wt_widgets
from wtforms.widgets.core import html_params as wtforms_html_params

from caseprep.rules.catalog import FactDef
from caseprep.web.wizard import forms

LABEL = {"en": "Question?", "zh_Hans": "问题？"}


@pytest.mark.parametrize("params", [
    {},
    {"name": "f_x", "id": "f_x", "type": "radio", "value": "yes", "checked": True},
    {"checked": False, "readonly": False, "name": "a", "abc": "hello"},
    {"class_": "text", "for_": "x", "data_fact_id": "a.b", "aria_describedby": "f-help"},
    {"aria-describedby": "f_x-help", "inputmode": "numeric", "min": 0, "max": None},
    {"value": 'He said "hi" & <left> \'now\'', "name": "<n>"},
    {"value": Markup('<b title="x">safe</b>'), "title": Markup("a &amp; b")},
    {"value": lazy_gettext("I don't know"), "step": 1.5, "required": True},
    {"value": "中文 “引号” ’", "lang": "zh-Hans"},
])
def test_html_params_matches_wtforms(app, params):
    with app.test_request_context():
        ours = forms.html_params(**params)
        theirs = wtforms_html_params(**params)
    assert isinstance(ours, Markup)
    assert str(ours) == str(theirs)


FACTS = [
    FactDef(id="t.flag", type="bool", section="what_happened", question=LABEL),
    FactDef(id="t.choice", type="enum", section="who", question=LABEL,
            values=["friend", "stranger"],
            value_labels={"friend": {"en": 'A "friend" & co', "zh_Hans": "朋友"}}),
    FactDef(id="t.many", type="list", section="where", question=LABEL, values=["telegram", "qq"]),
    FactDef(id="t.count", type="int", section="evidence", question=LABEL, min=0, max=10),
    FactDef(id="t.when", type="date", section="what_happened", question=LABEL),
    FactDef(id="t.story", type="text", section="what_happened", question=LABEL),
]
ANSWERS = {"t.flag": False, "t.choice": "friend", "t.many": ["qq"], "t.count": 3}


def _stock(field):
    """Render `field` (its options too) with WTForms' own widgets."""
    stock = {forms.RadioInput: wt_widgets.RadioInput(), forms.CheckboxInput:
             wt_widgets.CheckboxInput()}
    out = []
    if field.type in ("ChoiceRadioField", "CheckboxesField"):
        for option in field:
            option.widget = stock[type(option.widget)]
            out.append(str(option()))
        return out
    widget = field.widget
    if isinstance(widget, forms.NumberInput):
        field.widget = wt_widgets.NumberInput(min=widget.min, max=widget.max)
    elif isinstance(widget, forms.RoughDateInput):
        field.widget = wt_widgets.DateInput()
    return [str(field(**{"aria-describedby": "help"}))]


def _ours(field):
    if field.type in ("ChoiceRadioField", "CheckboxesField"):
        return [str(option()) for option in field]
    html = str(field(**{"aria-describedby": "help"}))
    # The date picker is WTForms' own; the month-or-year box after it is ours alone.
    return [html.split('<label class="rough-date"')[0]]


@pytest.mark.parametrize("locale", ["en", "zh_Hans"])
def test_fields_render_as_with_wtforms_widgets(app, locale):
    app.config["WTF_CSRF_ENABLED"] = False
    rendered = {}
    with app.test_request_context(), force_locale(locale):
        for fact in FACTS:
            ours = _ours(forms.build_form(FACTS, ANSWERS, locale)[forms.field_name(fact.id)])
            stock = _stock(forms.build_form(FACTS, ANSWERS, locale)[forms.field_name(fact.id)])
            assert ours == stock, fact.id
            rendered[fact.id] = ours
    assert 'checked' in rendered["t.flag"][1] and 'value="no"' in rendered["t.flag"][1]
    assert 'max="10" min="0"' in rendered["t.count"][0] and 'value="3"' in rendered["t.count"][0]
    assert len(rendered["t.many"]) == 3 and 'checked' in rendered["t.many"][1]
