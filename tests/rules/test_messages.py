"""Engine phrases go through the Babel catalogs without Flask (the rules core imports none)."""

import subprocess
import sys

from caseprep.rules import messages
from caseprep.rules.reasons import ReasonContext


def _write_po(folder, lang, entries, fuzzy=()):
    lc = folder / lang / "LC_MESSAGES"
    lc.mkdir(parents=True)
    body = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
    for msgid, msgstr in entries.items():
        flag = "#, fuzzy\n" if msgid in fuzzy else ""
        body += f'{flag}msgid "{msgid}"\nmsgstr "{msgstr}"\n\n'
    (lc / "messages.po").write_text(body, encoding="utf-8")


def test_reasons_are_translated_from_the_po_catalog(tmp_path, monkeypatch, catalog):
    _write_po(tmp_path, "zh_Hans", {"Not answered yet: %(fact)s": "尚未回答：%(fact)s",
                                    "yes": "是"}, fuzzy={"yes"})
    monkeypatch.setattr(messages.paths, "resource_dir", lambda name: tmp_path)
    messages._catalog.cache_clear()
    try:
        ctx = ReasonContext("zh_Hans", catalog)
        from caseprep.rules import reasons

        assert reasons.not_answered(ctx, "harm.extortion").startswith("尚未回答：")
        assert ctx.value("victim.is_minor", True) == "yes"  # fuzzy entries are not used
        assert messages.translate("Not answered yet: %(fact)s", "en") == \
            "Not answered yet: %(fact)s"
        assert messages.translate("unknown phrase", "zh_Hans") == "unknown phrase"
    finally:
        messages._catalog.cache_clear()


def test_rules_core_imports_no_flask():
    code = ("import sys, caseprep.rules, caseprep.rules.scenarios; "
            "print('flask' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.strip()
    assert out == "False"
