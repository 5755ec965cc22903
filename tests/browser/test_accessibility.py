"""Accessibility of every page, in both languages (issue 12, item 6).

On each page: axe-core (from the npm registry, tests/browser/package.json) finds no serious or
critical violation; every control has an accessible name in the accessibility tree; ids are
unique; controls are at least 24 x 24 px and the main actions 44 px high; nothing scrolls
sideways at 320 px (what 200 % zoom leaves of a 640 px window); the keyboard focus is visible.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow]

HERE = Path(__file__).resolve().parent
AXE = HERE / "node_modules" / "axe-core" / "axe.min.js"
PASSPHRASE = "a long passphrase for the checks"
# Pages before a case is open, then the pages of an open case.
PUBLIC = ["/", "/new", "/resume", "/leave-no-trace", "/timed-out", "/rules/"]
CASE = ["/new/done", "/wizard/safety", "/wizard/jurisdictions", "/wizard/what_happened",
        "/wizard/who", "/wizard/where", "/wizard/evidence", "/wizard/wellbeing",
        "/wizard/goals", "/wizard/results", "/case", "/evidence/", "/evidence/add",
        "/documents/", "/timeline"]
NAMED_ROLES = ("button", "link", "textbox", "checkbox", "radio", "combobox", "spinbutton",
               "searchbox", "slider", "switch", "listbox", "menuitem", "tab")
# Found on pages other helpers are building; listed (and still asserted to be there) so this
# test fails for every other problem, and is told when these are fixed.
KNOWN_ELSEWHERE = {
    "/documents/: duplicate id 'csrf_token'":
        "two hidden_tag() on the documents page (templates/documents/web/index.html and "
        "_contact_choice.html), documents feature",
}
UNNAMED = re.compile(rf"^\s*- ({'|'.join(NAMED_ROLES)})(\s*\[[^\]]*\])*\s*:?\s*$")


@pytest.fixture(scope="module")
def axe_source() -> str:
    """axe-core's script; installed from the npm registry when missing (a clean checkout)."""
    if not AXE.is_file():
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=HERE, check=True,
                       timeout=600)
    return AXE.read_text(encoding="utf-8")


SIZES_JS = """() => {
  const out = [];
  const seen = (el) => { const r = el.getBoundingClientRect(); const s = getComputedStyle(el);
    return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' ? r : null; };
  const standalone = (a) => { const p = a.parentElement;
    return p && p.textContent.trim() === a.textContent.trim(); };
  for (const el of document.querySelectorAll(
      'button, summary, select, textarea, input:not([type=hidden]), a[href]')) {
    if (el.closest('dialog:not([open])')) continue;
    if (el.tagName === 'A' && !standalone(el) && !el.classList.contains('button')) continue;
    if (el.classList.contains('skip-link')) continue;
    const r = seen(el); if (!r) continue;
    const main = el.matches('.button, .quick-exit, button[type=submit]');
    if (r.width < 24 || r.height < (main ? 43.5 : 23.5))
      out.push(`${el.tagName.toLowerCase()} "${(el.textContent || el.name || el.id).trim()
        .slice(0, 40)}" ${Math.round(r.width)}x${Math.round(r.height)}`);
  }
  return out;
}"""
DUPLICATE_IDS_JS = """() => { const ids = {}; for (const el of document.querySelectorAll('[id]'))
  ids[el.id] = (ids[el.id] || 0) + 1; return Object.keys(ids).filter(k => ids[k] > 1); }"""


def test_axe_finds_what_it_should(browser, axe_source):
    """The checker itself works: an image without alt text and an unnamed field are caught."""
    page = browser.new_page()
    page.set_content('<html lang="en"><title>t</title><main><img src="data:,">'
                     '<input type="text"></main></html>')
    page.evaluate(axe_source)
    found = page.evaluate("async () => (await axe.run()).violations.map(v => v.id)")
    assert "image-alt" in found and "label" in found
    assert any(UNNAMED.match(line) for line in page.locator("body").aria_snapshot()
               .splitlines())
    page.close()


def _check(page, axe_source, url, problems):
    page.evaluate(axe_source)
    result = page.evaluate("""async () => { const r = await axe.run(document, {
        runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa',
                                        'wcag22aa', 'best-practice']}});
        return r.violations.map(v => ({id: v.id, impact: v.impact,
          nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))})); }""")
    for violation in result:
        if violation["impact"] in ("serious", "critical"):
            problems.append(f"{url}: axe {violation['impact']} {violation['id']} "
                            f"{violation['nodes']}")
    for line in page.locator("body").aria_snapshot().splitlines():
        if UNNAMED.match(line):
            problems.append(f"{url}: control without a name: {line.strip()}")
    for dup in page.evaluate(DUPLICATE_IDS_JS):
        problems.append(f"{url}: duplicate id {dup!r}")
    for small in page.evaluate(SIZES_JS):
        problems.append(f"{url}: tap target too small: {small}")


def _create_case(page, base, button):
    page.goto(base + "/new")
    page.fill('[name="passphrase"]', PASSPHRASE)
    page.fill('[name="passphrase_again"]', PASSPHRASE)
    page.check('[name="lives_in"][value="cn"]')
    with page.expect_navigation():
        page.get_by_role("button", name=button).click()


@pytest.mark.parametrize(("locale", "width", "button"), [
    ("zh-CN", 360, "创建我的案件"), ("en-US", 1366, "Create my case")])
def test_every_page_is_accessible(open_context, live_server, axe_source, locale, width,
                                  button):
    context = open_context(viewport={"width": width, "height": 800}, locale=locale,
                           bypass_csp=True)  # axe is injected as a script
    page = context.new_page()
    problems: list[str] = []
    for path in PUBLIC:
        page.goto(live_server + path)
        _check(page, axe_source, path, problems)
    _create_case(page, live_server, button)
    for path in CASE:
        page.goto(live_server + path)
        _check(page, axe_source, page.url.replace(live_server, ""), problems)
    known = [p for p in problems if p in KNOWN_ELSEWHERE]
    problems = [p for p in problems if p not in KNOWN_ELSEWHERE]
    assert problems == [], "\n".join(problems)
    assert sorted(set(known)) == sorted(KNOWN_ELSEWHERE), "fixed: remove from KNOWN_ELSEWHERE"
    assert context.outside_requests == []


def test_reflow_at_320_px_and_a_visible_focus(open_context, live_server):
    """200 % zoom of a 640 px window leaves 320 CSS px: nothing may scroll sideways."""
    context = open_context(viewport={"width": 320, "height": 640}, locale="zh-CN")
    page = context.new_page()
    _create_case(page, live_server, "创建我的案件")
    for path in ["/wizard/what_happened", "/wizard/results", "/case", "/"]:
        page.goto(live_server + path)
        assert page.evaluate("document.documentElement.scrollWidth") <= 320, path
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    outline = page.evaluate("() => { const s = getComputedStyle(document.activeElement); "
                            "return [s.outlineStyle, parseFloat(s.outlineWidth)]; }")
    assert outline[0] != "none" and outline[1] >= 2, outline
