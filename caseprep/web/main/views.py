"""Site-wide pages: index, new case, resume, quick exit, language switch, closing a case."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _

from caseprep.appshell import i18n, security
from caseprep.appshell.extensions import get_db, limiter
from caseprep.cases import service
from caseprep.cases.errors import InvalidCredentials
from caseprep.web import case_session
from caseprep.web.main.forms import NewCaseForm, ResumeCaseForm
from caseprep.web.wizard.forms import choices
from caseprep.web.wizard.rules_access import jurisdiction_summaries
from caseprep.web.wizard.views import PLACES_RECORD

bp = Blueprint("main", __name__)


@bp.app_context_processor
def _template_helpers():
    return {
        "case_is_open": lambda: case_session.current_case() is not None,
        "case_idle_seconds": case_session.idle_seconds,
        "current_locale_code": lambda: str(get_locale() or i18n.DEFAULT_LOCALE),
    }


def _settings():
    return current_app.config["CASEPREP"]


def safe_next(target: str | None, default: str) -> str:
    """A same-site path to go back to; anything else (other hosts, schemes) gives `default`.

    Control characters and spaces are refused outright: browsers drop tabs and newlines
    from a URL, so "/\t/evil.example" would become "//evil.example" (issue 13, item 9).
    """
    if (not target or not target.startswith("/") or target.startswith("//") or "\\" in target
            or any(ch <= " " or ch == "\x7f" for ch in target)):
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return default
    return target


@bp.get("/")
def index():
    lang = str(get_locale())
    return render_template(
        "main/index.html",
        jurisdictions=jurisdiction_summaries(lang),
        resume_form=ResumeCaseForm(),
    )


@bp.route("/new", methods=["GET", "POST"])
@limiter.limit("20 per hour", methods=["POST"])
def new_case():
    form = NewCaseForm()
    places = jurisdiction_summaries(str(get_locale()))
    form.lives_in.choices = choices((row["code"], row["name"]) for row in places)
    if request.method == "GET":
        form.locale.data = str(get_locale())
        if len(places) == 1:
            form.lives_in.data = places[0]["code"]
    if form.validate_on_submit():
        case = service.create_case(
            get_db(), _settings(), form.passphrase.data, [form.lives_in.data], form.locale.data
        )
        case.write_record(PLACES_RECORD, {"lives_in": form.lives_in.data, "poster_in": None})
        case_session.logout_case()
        case_session.login_case(case)
        i18n.set_locale(form.locale.data)
        return redirect(url_for("main.show_created"), code=303)
    return render_template("main/new_case.html", form=form,
                           retention_days=_settings().retention_days)


@bp.get("/new/done")
@case_session.case_required
def show_created():
    case = case_session.current_case()
    return render_template("main/created.html", code=case.code,
                           retention_days=_settings().retention_days)


@bp.route("/resume", methods=["GET", "POST"])
@limiter.shared_limit(security.resume_limit_per_client, security.RESUME_CLIENT_SCOPE,
                      methods=["POST"], deduct_when=security.failed_attempt)
@limiter.shared_limit(security.resume_limit_per_code, security.RESUME_CODE_SCOPE,
                      key_func=security.resume_code_key, methods=["POST"],
                      deduct_when=security.failed_attempt)
def resume_case():
    form = ResumeCaseForm()
    next_path = safe_next(request.args.get("next"), url_for("wizard.show_results"))
    if form.validate_on_submit():
        try:
            case = service.open_case(get_db(), _settings(), (form.code.data or "").strip(),
                                     form.passphrase.data or "")
        except InvalidCredentials:
            flash(_("That case code and passphrase do not open a case. Check both and try again."),
                  "error")
        else:
            case_session.logout_case()
            case_session.login_case(case)
            if case.locale in i18n.LOCALES and "locale" not in session:
                i18n.set_locale(case.locale)
            if not case.jurisdictions:
                next_path = url_for("wizard.show_step", step="safety")
            return redirect(next_path, code=303)
    return render_template("main/resume.html", form=form), (200 if request.method == "GET"
                                                           or form.errors else 401)


@bp.get("/exit")
def quick_exit():
    """Quick exit: forget the case in this browser, then go to a neutral site.

    A plain link, so it works without JavaScript; quickexit.js also binds it to Esc and
    replaces the current page in the history. The session ends on the server too, so a
    copy of the cookie taken earlier stops working (issue 13, High 4).
    """
    destination = _exit_destination()
    case_session.logout_case()
    session.clear()
    response = redirect(destination, code=303)
    response.delete_cookie(current_app.config["SESSION_COOKIE_NAME"])
    # Ask the browser to drop this site's cookies and stored data too.
    response.headers["Clear-Site-Data"] = '"cookies", "storage"'
    return response


def _exit_destination() -> str:
    """A neutral site in her language, else for her case's place, else the default."""
    settings = _settings()
    by_key = settings.quick_exit_urls
    case = case_session.current_case()
    for key in [str(get_locale() or ""), *(case.jurisdictions if case is not None else [])]:
        if key in by_key:
            return by_key[key]
    return settings.quick_exit_url


@bp.post("/close")
def close_case():
    case_session.logout_case()
    flash(_("Your case is closed in this browser. Your answers are saved."), "info")
    return redirect(url_for("main.index"), code=303)


@bp.get("/timed-out")
def show_timeout():
    case_session.logout_case()
    return render_template("main/timed_out.html")


@bp.post("/language")
def switch_language():
    if not i18n.set_locale(request.form.get("locale", "")):
        abort(400)
    return redirect(safe_next(request.form.get("next"), url_for("main.index")), code=303)
