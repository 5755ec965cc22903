"""The request's translations are looked up once, and still follow every way the locale changes."""

from __future__ import annotations

import flask_babel
from flask import render_template_string
from flask_babel import force_locale, lazy_gettext

from caseprep.appshell import i18n

STEP = "Step %(number)s of %(total)s: %(title)s"


def test_templates_translate_as_flask_babel_does(app):
    source = "{{ _(s, number=2, total=8, title=t) }}|{{ gettext('Quick exit') }}"
    for locale in ("en", "zh_Hans"):
        with app.test_request_context("/"), force_locale(locale):
            rendered = render_template_string(source, s=STEP, t="<b>&")
            expected = flask_babel.gettext(STEP, number=2, total=8, title="&lt;b&gt;&amp;")
            assert rendered == f"{expected}|{flask_babel.gettext('Quick exit')}"
    with app.test_request_context("/"), force_locale("zh_Hans"):
        assert render_template_string("{{ _('Quick exit') }}") == "快速离开"


def test_plural_forms_in_templates(app):
    source = "{{ ngettext('%(num)s file', '%(num)s files', n) }}"
    with app.test_request_context("/"):
        assert render_template_string(source, n=1) == "1 file"
        assert render_template_string(source, n=3) == "3 files"


def test_force_locale_and_refresh_switch_the_language_within_a_request(app):
    quick_exit = "{{ _('Quick exit') }}"
    with app.test_request_context("/", headers={"Accept-Language": "en"}):
        assert render_template_string(quick_exit) == "Quick exit"
        assert str(lazy_gettext("Quick exit")) == "Quick exit"
        with force_locale("zh_Hans"):
            assert render_template_string(quick_exit) == "快速离开"
            assert str(lazy_gettext("Quick exit")) == "快速离开"
        assert render_template_string(quick_exit) == "Quick exit"
        assert str(lazy_gettext("Quick exit")) == "Quick exit"
        i18n.set_locale("zh_Hans")
        flask_babel.refresh()
        assert render_template_string(quick_exit) == "快速离开"
        assert str(flask_babel.get_locale()) == "zh_Hans"


def test_each_request_finds_its_own_language(app):
    with app.test_request_context("/", headers={"Accept-Language": "zh-CN"}):
        assert render_template_string("{{ _('Quick exit') }}") == "快速离开"
    with app.test_request_context("/", headers={"Accept-Language": "en"}):
        assert render_template_string("{{ _('Quick exit') }}") == "Quick exit"


def test_outside_a_request_the_default_language_is_used(app):
    with app.app_context():
        assert render_template_string("{{ _('Quick exit') }}") == "Quick exit"
    assert i18n.request_translations().ugettext("Quick exit") == "Quick exit"


def test_percent_signs_are_formatted_as_jinja_does(app):
    with app.test_request_context("/"):
        assert render_template_string("{{ _('100%% sure') }}") == "100% sure"
        assert render_template_string("{{ _('plain') }}") == "plain"
        assert render_template_string("{% autoescape false %}{{ _('a%%<') }}{% endautoescape %}") \
            == "a%<"


def test_python_gettext_matches_flask_babel(app):
    for locale in ("en", "zh_Hans"):
        with app.test_request_context("/"), force_locale(locale):
            for args, variables in [((STEP,), {"number": 1, "total": 8, "title": "<x>"}),
                                    (("Quick exit",), {}), (("100%% sure",), {})]:
                assert i18n.gettext(*args, **variables) == \
                    flask_babel.gettext(*args, **variables)
            lazy = i18n.lazy_gettext("Quick exit")
            assert str(lazy) == flask_babel.gettext("Quick exit")
            assert lazy.__html__() == lazy_gettext("Quick exit").__html__()
