"""WTForms generated from the facts catalog: one field per fact, "I don't know" always allowed.

bool -> yes / no / "I don't know" radios; enum -> radios plus "I don't know"; list ->
checkboxes plus "I don't know"; int -> number input; date -> date input; text -> textarea.
"I don't know" (or leaving a field empty) keeps the fact unknown: the answer becomes None,
which the case service stores as "no answer".
"""

from __future__ import annotations

import functools
import threading
from collections import OrderedDict
from typing import Any

from flask_wtf import FlaskForm
from markupsafe import Markup
from wtforms import (
    DateField,
    IntegerField,
    RadioField,
    SelectMultipleField,
    TextAreaField,
    widgets,
)
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]  # not in types-WTForms
from wtforms.utils import unset_value as _unset_value
from wtforms.validators import Length, NumberRange, Optional

from caseprep.appshell.i18n import lazy_gettext as _l
from caseprep.rules.dates import ApproxDate
from caseprep.web.wizard.rules_access import text

UNKNOWN = "unknown"
MAX_TEXT_LENGTH = 20_000


def field_name(fact_id: str) -> str:
    """An HTML-safe field name for a dotted fact id (`content.kinds` -> `f_content__kinds`)."""
    return "f_" + fact_id.replace(".", "__")


class RoughDateInput(widgets.DateInput):
    """A date picker, and beside it a box for a month or a year when the day is not known."""

    def __call__(self, field, **kwargs):
        picker = super().__call__(field, **kwargs)
        rough_id = f"{field.id}-rough"
        rough = widgets.html_params(
            id=rough_id, name=field.rough_name, type="text", inputmode="numeric",
            autocomplete="off", maxlength=7, value=field.rough_text,
            placeholder=_l("e.g. 2021-05 or 2021"))
        label = _l("Only remember the month or the year? Write it here instead:")
        return Markup('{}<label class="rough-date" for="{}">{}</label><input {}>').format(
            picker, rough_id, label, rough)


class RoughDateField(DateField):
    """A date, a month ("2021-05") or a year ("2021"): a frightened person may not know the day.

    The day from the picker wins when both are given; the rough box is read only when the
    picker is empty. `data` is a `datetime.date`, an `ApproxDate` or None.
    """

    widget = RoughDateInput()

    @property
    def rough_name(self) -> str:
        return f"{self.name}_rough"

    @property
    def rough_text(self) -> str:
        return str(self.data) if isinstance(self.data, ApproxDate) else ""

    def process(self, formdata, data=_unset_value, extra_filters=None):
        super().process(formdata, data, extra_filters)
        if formdata is None or any(v.strip() for v in self.raw_data or []):
            return
        rough = (formdata.get(self.rough_name) or "").strip()
        if rough:
            self.raw_data = [rough]  # so `Optional` sees an answer and keeps its errors
            self.process_errors = []
            try:
                # A month or a year where WTForms' types expect a day: the point of this field.
                self.data = ApproxDate(rough)  # type: ignore[assignment]
            except ValueError:
                self.process_errors.append(
                    _l("Write a month as 2021-05 or a year as 2021, or pick a day."))

    def _value(self):
        # DateField._value exists at run time; types-WTForms leaves it out.
        return "" if isinstance(self.data, ApproxDate) else super()._value()  # type: ignore[misc]


class ChoiceRadioField(RadioField):
    """Radio buttons (a bool or enum fact, a place)."""


class CheckboxesField(SelectMultipleField):
    """Several choices as checkboxes (a list fact)."""

    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


def choices(pairs) -> list[SelectChoice]:
    """WTForms choices from (value, label) pairs."""
    return [SelectChoice(value, label) for value, label in pairs]


def _choices(fact, lang: str) -> list[tuple[str, str]]:
    labels = fact.value_labels or {}
    # A catalog value "unknown" is the form's own "I don't know": offered once (issue 12).
    return [(value, text(labels.get(value), lang) or value.replace("_", " "))
            for value in fact.values or [] if value != UNKNOWN]


def _field_for(fact, lang: str):
    label = text(fact.question, lang)
    help_text = text(fact.help, lang) if fact.help else ""
    dont_know = (UNKNOWN, _l("I don't know"))
    kind = fact.type
    if kind == "bool":
        return ChoiceRadioField(label, description=help_text, validators=[Optional()],
                          choices=choices([("yes", _l("Yes")), ("no", _l("No")), dont_know]))
    if kind == "enum":
        return ChoiceRadioField(label, description=help_text, validators=[Optional()],
                          choices=choices([*_choices(fact, lang), dont_know]))
    if kind == "list":
        return CheckboxesField(label, description=help_text, validators=[Optional()],
                               choices=choices([*_choices(fact, lang), dont_know]))
    if kind == "int":
        bounds = NumberRange(min=fact.min, max=fact.max)
        return IntegerField(label, description=help_text, validators=[Optional(), bounds],
                            widget=widgets.NumberInput(min=fact.min, max=fact.max))
    if kind == "date":
        return RoughDateField(label, description=help_text, validators=[Optional()])
    return TextAreaField(label, description=help_text,
                         validators=[Optional(), Length(max=MAX_TEXT_LENGTH)])


def _initial(fact, value):
    """The stored answer as the field's data (unknown shows "I don't know" ticked)."""
    kind = fact.type
    if kind == "bool":
        return UNKNOWN if value is None else ("yes" if value else "no")
    if kind == "enum":
        return UNKNOWN if value is None else value
    if kind == "list":
        return [UNKNOWN] if value is None else list(value)
    return value


# Form classes by (language, the exact FactDef objects asked), most recently used last. A
# class holds only unbound field definitions (labels, choices, validators, widgets: none of
# them changes when a form is used); every request still gets its own form instance and
# fields. The FactDef objects are kept with the class and compared by identity, so a
# reloaded catalog never meets a class built from the previous one.
_FORM_CLASSES: OrderedDict[tuple[Any, ...], tuple[tuple[Any, ...], type]] = OrderedDict()
_FORM_CLASSES_MAX = 256
_form_classes_lock = threading.Lock()


def _facts_form_class(asked: list[Any], lang: str) -> type:
    facts = tuple(asked)
    key = (lang, tuple(id(fact) for fact in facts))
    with _form_classes_lock:
        hit = _FORM_CLASSES.get(key)
        if hit is not None and all(a is b for a, b in zip(hit[0], facts, strict=True)):
            _FORM_CLASSES.move_to_end(key)
            return hit[1]

    class FactsForm(FlaskForm):
        pass

    for fact in facts:
        setattr(FactsForm, field_name(fact.id), _field_for(fact, lang))
    with _form_classes_lock:
        _FORM_CLASSES[key] = (facts, FactsForm)
        _FORM_CLASSES.move_to_end(key)
        while len(_FORM_CLASSES) > _FORM_CLASSES_MAX:
            _FORM_CLASSES.popitem(last=False)
    return FactsForm


def build_form(facts: list, answers: dict, lang: str, formdata=None):
    """A form asking `facts` (FactDefs), prefilled from `answers` unless formdata is given."""
    form_class = _facts_form_class(facts, lang)
    if formdata is None:
        initial = {field_name(f.id): _initial(f, answers.get(f.id)) for f in facts}
        return form_class(data=initial, formdata=None)
    return form_class(formdata=formdata)


def answers_from(form, facts: list) -> dict:
    """The answers in a validated form: fact id -> typed value, None for unknown."""
    out: dict[str, Any] = {}
    for fact in facts:
        data = form[field_name(fact.id)].data
        kind = fact.type
        if kind == "bool":
            out[fact.id] = {"yes": True, "no": False}.get(data)
        elif kind == "enum":
            # "I don't know" is no answer, except where the catalog lists `unknown` as a value
            # ("who posted it": not knowing who is itself the answer, and decides routes).
            dont_know = data == UNKNOWN and UNKNOWN not in (fact.values or ())
            out[fact.id] = None if data in (None, "") or dont_know else data
        elif kind == "list":
            chosen = [v for v in (data or []) if v != UNKNOWN]
            out[fact.id] = chosen or None
        elif kind == "text":
            out[fact.id] = data.strip() if data and data.strip() else None
        else:
            out[fact.id] = data
    return out


ELSEWHERE = "elsewhere"


def build_places_form(jurisdiction_names: list[tuple[str, str]], places: dict, formdata=None):
    """Where the person lives and where the poster is: the rule files the case is checked by."""
    form_class = _places_form_class(tuple(tuple(pair) for pair in jurisdiction_names))
    if formdata is None:
        return form_class(formdata=None, data={
            "lives_in": places.get("lives_in"),
            "poster_in": places.get("poster_in") or UNKNOWN,
        })
    return form_class(formdata=formdata)


@functools.lru_cache(maxsize=32)
def _places_form_class(jurisdiction_names: tuple[tuple[str, str], ...]) -> type:
    """The places form class for one list of (code, name) choices (one per language)."""

    class PlacesForm(FlaskForm):
        lives_in = ChoiceRadioField(
            _l("Where do you live?"),
            description=_l("The laws of the place where you live usually apply."),
            choices=choices([*jurisdiction_names, (ELSEWHERE, _l("Somewhere else"))]),
            validators=[Optional()],
        )
        poster_in = ChoiceRadioField(
            _l("Where does the person who shared the images live?"),
            description=_l("If they live somewhere else, that place's laws may apply too. "
                           "Several places can apply at once."),
            choices=choices([*jurisdiction_names, (ELSEWHERE, _l("Somewhere else")),
                             (UNKNOWN, _l("I don't know"))]),
            validators=[Optional()],
        )

    return PlacesForm


def chosen_jurisdictions(form, known: set[str]) -> list[str]:
    """The jurisdiction codes the answers point to, where the person lives first."""
    chosen = []
    for value in (form.lives_in.data, form.poster_in.data):
        if value in known and value not in chosen:
            chosen.append(value)
    return chosen
