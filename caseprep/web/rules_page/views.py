"""What the app's rules say, per jurisdiction, for anyone: lawyers checking a draft, NGOs
linking to it (issue 19). Every route with its summary, citations (quote, confirmed or not),
in-force dates, review state and last change. Reads only the app's one `Rules` object; no
case, no session, no login.
"""

from __future__ import annotations

from flask import Blueprint, abort, render_template
from flask_babel import get_locale
from flask_babel import gettext as _

from caseprep.appshell.extensions import get_rules
from caseprep.rules.packs import manifest_of
from caseprep.rules.review import last_change, review_of, review_summary
from caseprep.web.wizard import rules_access
from caseprep.web.wizard.results import KIND_TITLES

bp = Blueprint("rules_page", __name__, url_prefix="/rules")


@bp.get("/")
def list_jurisdictions():
    lang = str(get_locale())
    rows = []
    for code, jur in rules_access.jurisdictions().items():
        change = last_change(jur)
        rows.append({"code": code, "name": rules_access.text(jur.name, lang),
                     "version": str(jur.version), "status": jur.status,
                     "reviewed_on": jur.reviewed_on, "routes": len(jur.routes),
                     "review": review_summary(jur),
                     "last_change": _change(change, lang) if change else None})
    rows.sort(key=lambda row: row["name"])
    return render_template("rules_page/index.html", jurisdictions=rows, pack=_pack())


@bp.get("/<code>")
def show_jurisdiction(code: str):
    found = rules_access.jurisdictions()
    if code not in found:
        abort(404)
    jur, lang = found[code], str(get_locale())
    sources = jur.source_by_id
    routes = []
    for route in jur.routes:
        change = last_change(jur, route.id)
        routes.append({
            "id": route.id,
            "kind": KIND_TITLES.get(route.kind, route.kind),
            "title": rules_access.text(route.title, lang),
            "summary": rules_access.text(route.summary, lang),
            "in_force": route.in_force,
            "review": _review(review_of(route)),
            "last_change": _change(change, lang) if change else None,
            "citations": [_citation(c, sources, lang) for c in route.citations],
            "thresholds": [{"label": rules_access.text(t.label, lang), "in_force": t.in_force,
                            "citations": [_citation(c, sources, lang) for c in t.citations]}
                           for t in route.thresholds],
        })
    changelog = sorted(jur.changelog, key=lambda e: e.date, reverse=True)
    return render_template(
        "rules_page/jurisdiction.html", code=code, name=rules_access.text(jur.name, lang),
        version=str(jur.version), status=jur.status, reviewed_on=jur.reviewed_on,
        reviewed_by=jur.reviewed_by, summary=review_summary(jur), routes=routes,
        changelog=[_change(e, lang) for e in changelog], pack=_pack())


def _citation(citation, sources, lang: str) -> dict:
    source = sources.get(citation.source)
    return {"instrument": rules_access.text(source.title, lang) if source else citation.source,
            "article": citation.article, "quote": citation.quote, "url": citation.url,
            "confirmed": citation.confirmed, "in_force": citation.in_force,
            "review": _review(citation.review) if citation.review else None}


def _review(review) -> dict:
    words = {"draft": _("Draft: not yet reviewed"), "needs-review": _("Needs review"),
             "reviewed": _("Reviewed")}
    return {"state": review.state, "words": words[review.state], "by": review.by,
            "role": review.role, "on": review.on, "note": review.note}


def _change(entry, lang: str) -> dict:
    return {"version": str(entry.version), "date": entry.date,
            "changes": rules_access.text(entry.changes, lang),
            "why": rules_access.text(entry.why, lang), "source": entry.source}


def _pack() -> dict | None:
    """The signed pack the rules came from, when they were installed as one."""
    manifest = manifest_of(get_rules().folder)
    if not manifest:
        return None
    return {"version": manifest.get("version"), "created_at": manifest.get("created_at")}
