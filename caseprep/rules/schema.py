"""Pydantic models of a jurisdiction rule file (the format in docs/architecture.md).

Structure and types are checked here; what needs the catalog or the whole file (fact ids,
source references, duplicate ids, languages, scenarios) is checked in validation.py.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PrivateAttr,
    field_validator,
    model_validator,
)

from caseprep.rules.catalog import FactsCatalog
from caseprep.rules.text import Text

RouteKind = Literal["criminal", "administrative", "civil", "takedown"]
Goal = Literal["removal", "prosecution", "compensation", "apology", "protection"]
# Every kind of document caseprep drafts, in the order lists show them: the one registry (the
# documents model, the CLI's --docs, the web and the API read it from here).
DOCUMENT_KINDS = (
    "police_report",
    "civil_complaint",
    "injunction_application",
    "pseudonym_motion",
    "receipt_request",
    "reconsideration_application",
    "supervision_application",
    "private_prosecution",
    "demand_letter",
    "takedown_notice",
    "evidence_checklist",
    "evidence_list",
    "case_timeline",
)
# Drawn from the case itself (caseprep.documents.chronology), never named by a route.
CASE_DOCUMENT_KINDS = ("case_timeline",)
# What a route's `documents` may name.
ROUTE_DOCUMENT_KINDS = tuple(k for k in DOCUMENT_KINDS if k not in CASE_DOCUMENT_KINDS)
# The template a takedown route's notice uses (templates/documents/takedown_notice/<name>.html).
# `authority_report` is one report to the route's `addressee`; the others go to each platform.
NOTICE_TEMPLATES = ("civil_code_1195", "icn_copyright", "take_it_down", "dmca",
                    "platform_policy", "authority_report")
# Personal details a document may print (they decide no route); a jurisdiction's
# `omit_details` names those its documents never ask for (e.g. a national ID number).
DOCUMENT_DETAILS = (
    "victim.name",
    "victim.id_number",
    "victim.address",
    "victim.contact",
    "perpetrator.name",
    "perpetrator.id_info",
    "perpetrator.handles",
    "court",
    "claims.amount",
    "narrative",
    "content.locations",
    "victim.pseudonym",
)


def _number_as_text(value: object) -> object:
    """Article numbers like 1195 are written unquoted by people; keep them as text."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return value


ArticleText = Annotated[str, BeforeValidator(_number_as_text)]
# Citation links are shown to users as links: only http(s), so a rule file cannot plant a
# javascript: or data: link (issue 6, "a malicious rule file").
WebUrl = Annotated[str, Field(pattern=r"^https?://[^\s<>\"]+$")]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class InForce(_Strict):
    """The days a law (route, threshold or citation) is in force; either end may be open.

    `to` is the last day in force. Written `{from: 2026-01-01, to: null}` in YAML.
    """

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    start: dt.date | None = Field(default=None, alias="from")
    end: dt.date | None = Field(default=None, alias="to")


ReviewState = Literal["draft", "reviewed", "needs-review"]


class Review(_Strict):
    """Who vouched for a route or citation: an organisation and a role, never a person's name.

    No `review:` means `draft`. `reviewed` needs `by` and `on`; `caseprep rules review`
    reports reviews older than its interval (docs/rule-authoring.md, "Review").
    """

    state: ReviewState
    by: str | None = None  # the organisation, e.g. "Beijing Qianqian Law Firm pro-bono team"
    role: str | None = None  # e.g. "lawyer admitted in the PRC"
    on: dt.date | None = None
    note: str | None = None

    @model_validator(mode="after")
    def _reviewed_says_by_whom(self) -> Review:
        if self.state == "reviewed" and (not self.by or self.on is None):
            raise ValueError("a `reviewed` review needs `by` (the organisation) and `on` (date)")
        return self


class ChangelogEntry(_Strict):
    """One published version of a rule file: what changed, why, and on what source."""

    version: ArticleText
    date: dt.date
    changes: Text
    why: Text | None = None
    source: str | None = None  # a source id of the file, or a URL
    routes: list[str] = []  # the routes the change touched (the rules page shows it per route)


# What a citation is to its route (docs/rule-authoring.md, "Citations"). Documents plead
# only `ground`: the provision the offence or claim rests on (with its definitions). An
# exception, a penalty, a remedy, a procedural provision (pseudonym, venue), a time limit or
# the act that brought a text into force is cited for the record and the results page, never
# as the basis of liability in a filing.
CitationRole = Literal["ground", "exception", "penalty", "remedy", "procedure", "time_limit",
                       "in_force"]


class Citation(_Strict):
    source: str
    article: ArticleText
    url: WebUrl | None = None
    quote: str | None = None
    confirmed: bool
    role: CitationRole = "ground"
    in_force: InForce | None = None
    review: Review | None = None


TransitionRule = Literal["conduct_time", "lighter_law"]


class Transition(_Strict):
    """Which law applies when it changed between the conduct and the decision, per route kind.

    `conduct_time`: only the law in force when the conduct happened (no retroactivity).
    `lighter_law`: that law, unless a later one is lighter (cn Criminal Law art. 12,
    Administrative Penalty Law art. 37).
    """

    criminal: TransitionRule = "conduct_time"
    administrative: TransitionRule = "conduct_time"
    civil: TransitionRule = "conduct_time"
    takedown: TransitionRule = "conduct_time"
    citations: list[Citation] = []


class ReasonOverride(_Strict):
    """A condition's own wording of its reason (`reason:` beside the condition's keys).

    `if_true` is shown when the condition as written holds, `if_false` when it does not;
    either may be left out to keep the generated sentence (docs/rule-authoring.md).
    """

    if_true: Text | None = None
    if_false: Text | None = None


class Helpline(_Strict):
    """Someone she can call or write to now, shown beside the sensitive questions.

    Like every legal datum: where it was read (`source`), when (`checked_on`), and whether
    the number and hours were confirmed there (`confirmed`).
    """

    name: Text
    phone: str | None = None
    url: WebUrl | None = None
    hours: Text | None = None
    about: Text | None = None  # what it is for, in a few words
    source: str
    checked_on: dt.date
    confirmed: bool


class Source(_Strict):
    id: str = Field(pattern=r"^[a-z0-9_]+$")
    title: Text
    url: WebUrl | None = None
    note: str | None = None
    # How an English filing cites it, `{article}` where a citation's article goes:
    # "15 U.S.C. § 6851{article}" (articles "(b)(1)(A)"), "Cal. Civ. Code § {article}"
    # (articles "1708.85(a)"). Without it a filing prints the title and the article.
    cite: str | None = None

    @field_validator("cite")
    @classmethod
    def _cite_has_one_article_slot(cls, value: str | None) -> str | None:
        if value is not None and (value.count("{article}") != 1
                                  or value.replace("{article}", "").count("{")):
            raise ValueError("cite needs {article} exactly once, where the article goes, "
                             "e.g. '15 U.S.C. § 6851{article}'")
        return value


class Threshold(BaseModel):
    """A group of alternatives; every key besides id/label/citations is the condition."""

    model_config = ConfigDict(extra="allow")

    id: str = Field(pattern=r"^[a-z0-9_]+$")
    label: Text
    citations: list[Citation] = []
    in_force: InForce | None = None
    catch_all: str | None = None  # the "other serious circumstances" alternative's fact
    _condition: Any = PrivateAttr(default=None)

    def condition_data(self) -> dict[str, Any]:
        return dict(self.__pydantic_extra__ or {})


class Deadline(_Strict):
    id: str = Field(pattern=r"^[a-z0-9_]+$")
    label: Text
    period: str
    from_fact: str
    bars: bool = False  # once run, the route is time-barred rather than met
    extended_by: list[Text] = []  # what can extend, suspend or restart the period
    # A date fact for the act that stops the period when done in time (her report to the
    # police, a claim filed): on or before the due date, the route is not time-barred.
    stopped_by: str | None = None
    citations: list[Citation] = []
    _period: Any = PrivateAttr(default=None)


class Route(_Strict):
    id: str = Field(pattern=r"^[a-z0-9_]+$")
    kind: RouteKind
    title: Text
    summary: Text
    citations: list[Citation] = []
    condition: dict[str, Any] | None = None
    thresholds: list[Threshold] = []
    authority: Text | None = None
    # What a document prints as its addressee (after 此致 / "To:"), blanks to complete
    # written ＿＿; never help text. `authority` is the explanation shown to her.
    addressee: Text | None = None
    # Literals of the module's own tuples: pydantic checks them, mypy cannot (valid-type).
    notice_template: Literal[NOTICE_TEMPLATES] | None = None  # type: ignore[valid-type]
    case_cause: Text | None = None  # civil: the cause of action (cn: SPC list of 案由)
    # The elements of the claim or offence as a pleading states them, one paragraph each, in
    # the third person ("Plaintiff", "Defendant"): a complaint pleads them under its count.
    elements: list[Text] = []
    deadlines: list[Deadline] = []
    remedies: list[Text] = []
    documents: list[str] = []
    evidence: list[Text] = []
    next_steps: list[Text] = []
    in_force: InForce | None = None
    conduct_fact: str | None = None  # default: the jurisdiction's, else incident.posted_on
    replaces: str | None = None  # the route (same wrong, older law) this one took over from
    lighter: bool | None = None  # with `lighter_law`: lighter than the route it replaces?
    # Which of her goals (values of the `goals` fact) the route serves; the results page
    # groups and ranks routes by them. Empty: by kind (takedown: removal, criminal and
    # administrative: prosecution, civil: compensation).
    serves: list[Goal] = []
    review: Review | None = None  # none: draft
    _condition: Any = PrivateAttr(default=None)
    _timing: Any = PrivateAttr(default=None)  # timing.RouteTiming, or None: no dates matter


class Scenario(_Strict):
    name: str
    facts: dict[str, Any] = {}
    today: dt.date | None = None
    expect: dict[str, Any]


class Jurisdiction(_Strict):
    code: str  # the pattern is checked, with a message in words, in validation.py (codes.py)
    # A state's rule file extends its country's (us-ca extends us): choosing the state assesses
    # the state's routes and the country's, side by side, each under its own name.
    extends: str | None = None
    name: Text
    language: str
    currency: str
    paper: Literal["A4", "letter"]
    version: ArticleText
    reviewed_on: dt.date
    reviewed_by: str
    status: Literal["draft", "reviewed"]
    sources: list[Source]
    transition: Transition = Transition()
    conduct_fact: str = "incident.posted_on"
    # details its documents never ask for (a Literal of a tuple: see notice_template)
    omit_details: list[Literal[DOCUMENT_DETAILS]] = []  # type: ignore[valid-type]
    routes: list[Route]
    helplines: list[Helpline] = []
    scenarios: list[Scenario] = []
    changelog: list[ChangelogEntry] = []  # newest first or last: readers sort by date
    _catalog: FactsCatalog | None = PrivateAttr(default=None)
    _file: str = PrivateAttr(default="")

    @property
    def catalog(self) -> FactsCatalog:
        """The FactsCatalog the file was validated against (set by the loader)."""
        if self._catalog is None:
            raise RuntimeError(f"{self.code}: not loaded through the loader, no catalog")
        return self._catalog

    @property
    def source_by_id(self) -> dict[str, Source]:
        return {s.id: s for s in self.sources}

    def route(self, route_id: str) -> Route | None:
        return next((r for r in self.routes if r.id == route_id), None)


FIELD_NAMES = tuple(
    sorted(
        {
            name
            for model in (Citation, Source, Threshold, Deadline, Route, Scenario, Jurisdiction,
                          InForce, Transition, Review, ChangelogEntry, Helpline)
            for name in model.model_fields
        }
    )
)
