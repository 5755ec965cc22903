"""Document data: what a draft says, built from an assessment, the facts and the evidence log.

Templates only lay this out. Legal citations, authorities and route texts come from the
assessment (so from the rule file); where a fact a document needs is missing, the draft gets
a clearly marked placeholder in the document's language (【待补充：…】 / [TO BE COMPLETED: …])
instead of invented content, and every placeholder is listed in `Document.placeholders`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup

from caseprep.documents import chronology
from caseprep.documents.items import EvidenceRow, items_on_platform, when_text
from caseprep.documents.korean import korean_articles, korean_date
from caseprep.documents.numerals import chinese_articles, english_articles
from caseprep.documents.phrases import phrase
from caseprep.rules.schema import DOCUMENT_DETAILS, DOCUMENT_KINDS

KINDS = DOCUMENT_KINDS  # the one registry (caseprep.rules.schema), in display order

# Details a document may need that are not rule facts (they decide no route): who the
# parties are, the court, the amount claimed. They come from the facts file or the web form.
# A jurisdiction's `omit_details` (rule file) names those its documents never ask for.
DETAIL_KEYS = DOCUMENT_DETAILS

# Which details each kind fills in; a missing one becomes a placeholder.
KIND_DETAILS = {
    "police_report": ("victim.name", "victim.id_number", "victim.contact", "narrative"),
    "civil_complaint": (
        "victim.name", "victim.id_number", "victim.address", "victim.contact",
        "perpetrator.name", "perpetrator.id_info", "claims.amount", "narrative",
    ),
    "takedown_notice": ("victim.name", "victim.contact", "victim.id_number", "content.locations"),
    "evidence_checklist": (),
    "evidence_list": ("victim.name",),
    "case_timeline": (),
    "injunction_application": (
        "victim.name", "victim.id_number", "victim.address", "victim.contact",
        "perpetrator.name", "perpetrator.id_info", "narrative",
    ),
    "pseudonym_motion": ("perpetrator.name",),
    # After the police say no (issue 11, item 5).
    "receipt_request": ("victim.name", "victim.id_number", "victim.contact"),
    "reconsideration_application": ("victim.name", "victim.id_number", "victim.contact"),
    "supervision_application": ("victim.name", "victim.id_number", "victim.contact"),
    "private_prosecution": (
        "victim.name", "victim.id_number", "victim.address", "victim.contact",
        "perpetrator.name", "perpetrator.id_info",
    ),
    # To the poster: her name only — never her address, phone or ID (contact via counsel).
    "demand_letter": ("victim.name",),
}
_ACTIVE = ("met", "unknown", "time_barred")  # a lawyer may still find the time extended
_ADDRESSED = ("police_report", "civil_complaint", "takedown_notice", "injunction_application",
              "pseudonym_motion", "receipt_request", "reconsideration_application",
              "supervision_application", "private_prosecution")
_NO = ("no", "false", "0", "off")


class Placeholder(str):
    """A missing detail, shown marked (highlighted in HTML, PDF and DOCX)."""

    def __html__(self) -> Markup:
        return Markup('<span class="placeholder">{}</span>').format(str(self))


def _caption_name(value):
    """A party's name as a caption prints it: in capitals; a blank stays the marked blank."""
    return value if isinstance(value, Placeholder) else str(value).upper()


@dataclass
class Document:
    """Everything a template needs to lay out one draft."""

    kind: str
    variant: str  # template name under templates/documents/<kind>/
    jurisdiction: str
    jurisdiction_name: str
    lang: str  # the language this version is written in
    filing_lang: str  # the language the authority needs
    paper: str  # "A4" | "letter"
    routes: list[dict]
    citations: list[dict]
    facts: dict[str, Any]
    details: dict[str, Any]
    evidence: list[EvidenceRow]
    placeholders: list[str]
    rules_version: str = ""
    rules_status: str = ""
    reviewed_on: str = ""
    platform: str | None = None
    platform_label: str | None = None
    basis_route: dict | None = None
    fact_labels: dict[str, Any] = field(default_factory=dict)
    fact_questions: dict[str, Any] = field(default_factory=dict)
    fact_names: dict[str, Any] = field(default_factory=dict)
    created_on: dt.date = field(default_factory=dt.date.today)
    all_placeholders: list[str] = field(default_factory=list)
    addressee: str = ""  # printed after 此致 / To: (from the rule file or the directory)
    platform_entry: Any = None  # the platform directory's entry (rules.platforms.Platform)
    platforms_named: int = 0  # how many platforms the facts name
    offences: list[dict] = field(default_factory=list)  # criminal routes met or undecided
    chronology: list = field(default_factory=list)  # case_timeline: chronology.Point, in order

    @property
    def for_filing(self) -> bool:
        """False for a version in the person's language: for understanding, not for filing."""
        return self.lang == self.filing_lang

    @property
    def file_stem(self) -> str:
        parts = [self.kind]
        if self.platform:
            parts.append(self.platform)
        if self.basis_route:
            parts.append(self.basis_route["id"])
        elif self.variant == "platform_policy":
            parts.append("platform_policy")
        parts += [self.jurisdiction, self.lang]
        return "-".join(parts)

    def t(self, key: str, **values) -> Markup:
        """Document wording in this version's language (jurisdiction-specific first)."""
        return phrase(key, self.lang, self.jurisdiction, **values)

    def v(self, key: str):
        """A detail's value, or its marked placeholder when missing."""
        if key not in self.details:
            raise KeyError(f"{self.kind} does not declare the detail {key!r}")
        return self.details[key]

    def label(self, fact_id: str, value: Any) -> str:
        """The catalog's label for an enum/list value in this language, else the value."""
        labels = self.fact_labels.get(fact_id, {}).get(str(value), {})
        return tidy_text(labels.get(self.lang) or labels.get("en") or str(value))

    def fact_question(self, fact_id: str) -> str:
        texts = self.fact_questions.get(fact_id) or {}
        return tidy_text(texts.get(self.lang) or texts.get("en") or fact_id)

    def fact_name(self, fact_id: str) -> str:
        texts = self.fact_names.get(fact_id) or {}
        return texts.get(self.lang) or texts.get("en") or fact_id

    def citation(self, citation: Mapping) -> Markup:
        """A citation as this version's reader writes it: 《民法典》第一千零一十九条 in
        Chinese, "Civil Code, art. 1019" in English (jurisdiction wording first)."""
        # "15 U.S.C. § 6851(b)(1)(A)", a space after the section sign ("Pub. L. No. 119-12,
        # § 3"); a reading copy of a US paper keeps the citation the filing prints.
        if citation.get("cite") and (self.lang == "en" or self.jurisdiction.startswith("us")):
            return Markup.escape(re.sub(r"§(?=\d)", "§ ", citation["cite"]))
        article = str(citation.get("article") or "")
        if self.lang.startswith("zh") and self.jurisdiction == "cn":
            # The edition follows the title marks: 《…治安管理处罚法》（2012年修正）第四十二条.
            name, edition = _edition(str(citation.get("instrument") or ""))
            # 《》 mark a law or document; an organisation (the 12377 centre) and its page
            # are named plainly: 违法和不良信息举报中心举报范围.
            key = "citation_cn_plain" if _ORGANISATION.search(name) else "citation_cn_style"
            return self.t(key, instrument=name, articles=edition + chinese_articles(article))
        if self.lang == "en" and self.jurisdiction == "cn":  # "arts. 1194, 1196 and 1197"
            return self.t("citation_cn_style", instrument=citation.get("instrument"),
                          articles=english_articles(article))
        if self.lang == "ko" and not self.jurisdiction.startswith("us"):
            article = korean_articles(article)  # 「성폭력범죄의 처벌 등에 관한 특례법」 제14조제2항
        return self.t("citation", instrument=citation.get("instrument"), article=article)

    @property
    def posted_on_text(self):
        """When the content was first posted, as a document writes a date (or a blank)."""
        when = self.facts.get("incident.posted_on")
        day = when if isinstance(when, dt.date) else None
        if day is None and isinstance(when, str):
            try:
                day = dt.date.fromisoformat(when[:10])
            except ValueError:
                day = None
        if day is None:
            return Placeholder(str(self.t("formal.when_unknown"))) if self.lang.startswith("zh") \
                else self.t("formal.when_unknown")
        return self.date_text(day, on=True)

    def date_text(self, day: dt.date, on: bool = False) -> str:
        if self.lang.startswith("zh"):
            return f"{day.year}年{day.month}月{day.day}日"
        if self.lang == "ko":
            return korean_date(day)
        # An American paper writes "October 1, 2026"; other English papers "1 October 2026".
        text = f"{day:%B} {day.day}, {day.year}" if self.jurisdiction.startswith("us") \
            else f"{day.day} {day:%B} {day.year}"
        return f"On {text}" if on else text

    def joined(self, values) -> str:
        """Values as a sentence names them: "Reddit and X", "Reddit, X and Telegram"."""
        values = [str(v) for v in values]
        if len(values) < 2:
            return "".join(values)
        return (str(self.t("list_sep")).join(values[:-1]) + str(self.t("list_last_sep"))
                + values[-1])

    def formal_list(self, prefix: str, values) -> str:
        """Values in the documents' own wording (`prefix` + value), joined."""
        return self.joined(str(self.t(prefix + str(v))) for v in values or ())

    def blank(self, name: str) -> Placeholder:
        """A marked blank for a detail the draft never asks (sex, date of birth…)."""
        return Placeholder(str(self.t(f"blank.{name}")))

    @property
    def case_causes(self) -> list[str]:
        """The causes of action (cn 案由) of the met civil routes, else of the open ones."""
        met = [r for r in self.routes if r.get("status") == "met" and r.get("case_cause")]
        chosen = met or [r for r in self.routes if r.get("case_cause")]
        return list(dict.fromkeys(r["case_cause"] for r in chosen))

    @property
    def rights_text(self) -> str:
        """The right infringed, from the first cause of action (肖像权纠纷 -> 肖像权等人格权益)."""
        causes = self.case_causes
        if not causes:
            return str(self.t("cn.civil.rights_default"))
        # A cn cause names the right and the word 纠纷 (dispute): 肖像权纠纷 -> 肖像权.
        first = str(self.t("cn.civil.right_of", cause=causes[0].removesuffix("纠纷")))
        return first + (str(self.t("cn.civil.and_other_rights")) if len(causes) > 1 else "")

    @property
    def pseudonymous(self) -> bool:
        """A US plaintiff proceeds as "Jane Doe" unless she chose her own name
        (`victim.pseudonym: no`): no name, no address in anything public."""
        return str(self.details.get("victim.pseudonym", "yes")).strip().lower() not in _NO

    @property
    def plaintiff_caption(self):
        return "JANE DOE" if self.pseudonymous else _caption_name(self.v("victim.name"))

    @property
    def defendant_caption(self):
        """The parties' names in a US caption are in capitals (JANE DOE v. SAM POSTER)."""
        return _caption_name(self.v("perpetrator.name"))

    def elements(self, route: Mapping) -> list[str]:
        """The elements of a claim, pleaded one per paragraph (the route's `elements`)."""
        return [tidy_text(text) for text in route.get("elements") or []]

    def pleaded(self, citations: Iterable[Mapping]) -> list[dict]:
        return pleaded(citations)

    def numbered(self, prefix: str) -> list[Markup]:
        """Phrases `<prefix>1`, `<prefix>2`, … in this jurisdiction's wording, up to a gap."""
        out = []
        for n in range(1, 30):
            try:
                out.append(self.t(f"{prefix}{n}"))
            except KeyError:
                break
        return out

    @property
    def motion_citations(self) -> list[dict]:
        """The pseudonym motion cites the statute's confidentiality clause (the route's
        `procedure` citation), else the route's grounds."""
        return self.procedure_citations or list(self.citations)

    # How a paper names an offence (docs/documents.md, "Offences in the criminal papers"):
    # by its charge (the route's `case_cause`, cn: the 罪名) and the provision it rests on
    # (the route's first citation), never by the route's title, which is written for the
    # results page ("…——2026年以前的行为").
    def offence_name(self, route: Mapping) -> Markup:
        citations = route.get("citations") or []
        provision = self.citation(citations[0]) if citations else Markup()
        cause = tidy_text(route.get("case_cause") or "")
        if cause:
            return self.t("offence.named", name=cause, citation=provision) \
                if provision else Markup.escape(cause)
        if not provision:
            return Markup.escape(route.get("title") or "")
        kind = "administrative" if route.get("kind") == "administrative" else "crime"
        return self.t(f"offence.{kind}", citation=provision)

    def offence_names(self, routes: Iterable[Mapping]) -> Markup:
        """The offences, each named once (two routes of one charge name it once)."""
        return self.t("list_sep").join(self.offence_list(routes))

    def offence_list(self, routes: Iterable[Mapping]) -> list[Markup]:
        """The names of `offence_names`, one item each (a list in a paper)."""
        names: dict[Markup, None] = {}
        causes: set[str] = set()
        for route in routes:
            cause = route.get("case_cause")
            if cause and cause in causes:
                continue
            if cause:
                causes.add(cause)
            names[self.offence_name(route)] = None
        return list(names)

    def relationship_text(self, value: str) -> str:
        """Who he is to her, in a paper's own words ("former partner", 전 교제 상대), else
        the catalog's label (a stranger, for instance, has no formal wording)."""
        try:
            return str(self.t(f"formal.rel.{value}"))
        except KeyError:
            return self.label("perpetrator.relationship", value)

    @property
    def penalty_imposed(self) -> bool:
        """The police already punished the act with an administrative penalty: the same act
        cannot be punished again under the PSAPL; what remains is criminal liability."""
        return self.facts.get("police.response") == "penalty_imposed"

    def _pursued(self, status: str) -> list[dict]:
        """The offences of `status` a paper may still ask to pursue: not a PSAPL violation
        already punished."""
        return [r for r in self.offences if r.get("status") == status
                and not (self.penalty_imposed and r.get("kind") == "administrative")]

    @property
    def claimed_offences(self) -> list[dict]:
        """What a paper accuses him of: the offences met on her facts, and only those."""
        return self._pursued("met")

    @property
    def undecided_offences(self) -> list[dict]:
        """Offences still undecided: a paper asks in a few words to establish whether any
        other applies, and never names them as if claimed."""
        return self._pursued("unknown")

    @property
    def offence_titles(self) -> Markup:
        """The offences a report to the police names: those met on her facts ('' if none)."""
        return self.offence_names(self.claimed_offences)

    @property
    def crime_titles(self) -> Markup:
        """The crimes a criminal-procedure paper (reconsideration, supervision, private
        prosecution) names: criminal routes met on her facts ('' if none), as an
        administrative violation is no crime and an undecided crime is not claimed."""
        return self.offence_names(r for r in self.claimed_offences
                                  if r.get("kind") == "criminal")

    @property
    def charged_crimes(self) -> Markup:
        """The crimes a private prosecution charges: only those met on her facts (an
        undecided crime is for her lawyer to choose, never charged by default)."""
        return self.crime_titles

    @property
    def offence_grounds(self) -> list[dict]:
        """The provisions a report pleads: those of the offences it claims."""
        return _citations(self.claimed_offences)

    @property
    def due_dates(self) -> list[dict]:
        """The deadlines of this document's routes that have a due date."""
        return [d for r in self.routes for d in r.get("deadlines") or [] if d.get("due")]

    def stopped_on(self, deadline: Mapping):
        """When she did what stops `deadline` (its `stopped_by` date fact: a report, a claim
        filed), as the document writes dates, if that was on or before its due date; else
        None. A checklist then says the period no longer runs instead of a due date."""
        stop = deadline.get("stopped_by")
        due = deadline.get("due_latest") or deadline.get("due")
        try:
            done = dt.date.fromisoformat(str(self.facts.get(stop))[:10]) if stop else None
            if done is None or (due and done > dt.date.fromisoformat(str(due))):
                return None
        except ValueError:  # a rough date ("2025-05"): not claimed as in time
            return None
        return self.date_text(done)

    def fact_date(self, fact_id: str):
        """A date fact as the document writes dates, or a marked blank."""
        return self.day_text(self.facts.get(fact_id))

    def day_text(self, value):
        """A date (ISO text or date) as the document writes dates, or a marked blank."""
        try:
            day = value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])
        except ValueError:
            return self.blank("date")
        return self.date_text(day)

    @property
    def recipient(self) -> str:
        """Who a letter to the poster is addressed to: the name, else the known accounts."""
        if self.perpetrator_known:
            return str(self.details["perpetrator.name"])
        return str(self.t("list_sep")).join(self.handles) or str(self.blank("recipient"))

    def has_met_route(self, route_id: str) -> bool:
        return any(r.get("id") == route_id and r.get("status") == "met" for r in self.routes)

    @property
    def _pleaded_routes(self) -> list[dict]:
        """The routes a filing rests on: the met ones (all when none is met)."""
        return [r for r in self.routes if r.get("status") == "met"] or list(self.routes)

    @property
    def grounds(self) -> list[dict]:
        """The citations a filing pleads as the basis of liability (role `ground`)."""
        return _citations(self._pleaded_routes)

    @property
    def procedure_citations(self) -> list[dict]:
        """How the claim is brought (role `procedure`: which court hears it, a pseudonym),
        each once: a filing states them apart from the grounds of liability."""
        return _citations(self._pleaded_routes, role="procedure")

    def gap_text(self, gap: Mapping) -> Markup:
        """One threshold gap: the fact, what she has, what the threshold needs, which test."""
        test = gap.get("label") or ""
        if self.lang.startswith("zh"):  # no （…） inside （…）: 情节严重，满足任意一项即可
            test = re.sub(r"（([^（）]*)）", r"，\1", test)
        values = {"fact": self.fact_name(gap.get("fact", "")), "need": gap.get("need"),
                  "test": test}
        if gap.get("have") is None:
            return self.t("gap_unknown", **values)
        return self.t("gap_have", have=gap["have"], **values)

    def item_kind(self, item: EvidenceRow) -> str:
        try:
            return str(self.t(f"evkind.{item.kind}"))
        except KeyError:
            return item.kind

    def proves(self, item: EvidenceRow) -> str:
        """What an item proves, by its role and kind (the item's own notes take precedence)."""
        if item.role == "reference":  # her own original: that the person shown is her
            return str(self.t("list.proves_reference"))
        if item.role == "context":  # a private chat, a group's page: the background it shows
            return str(self.t("list.proves_context"))
        if item.role == "publication" and item.kind in ("screenshot", "web_page"):
            # A capture of his post proves the post; what a page or group showed (members,
            # views) is what a context capture proves.
            return str(self.t("list.proves_default"))
        try:
            return str(self.t(f"list.proves.{item.kind}"))
        except KeyError:
            return str(self.t("list.proves_default"))

    def item_time(self, value: str) -> str:
        """An item's date-time in a table: 2025年4月20日 20:00 in Chinese (the time bound to its
        day by a no-break space), else `YYYY-MM-DD HH:MM`."""
        text = when_text(value)
        if self.lang.startswith("zh") and re.match(r"\d{4}-\d{2}-\d{2}(?: |$)", text):
            day = self.date_text(dt.date.fromisoformat(text[:10]))
            return day + ("\u00a0" + text[11:] if text[11:] else "")
        return text

    @property
    def evidence_counts_text(self) -> str:
        parts = [str(self.t("list.count", kind=self.item_kind(EvidenceRow(0, kind=kind)), n=n))
                 for kind, n in self.evidence_counts]
        return str(self.t("list_sep")).join(parts)

    @property
    def platform_items(self) -> list[EvidenceRow]:
        """What a notice asks to remove: publications on this platform, never her own
        reference photos or context items (items without a platform only when the case
        names at most one platform)."""
        return items_on_platform(self.evidence, self.platform, self.platform_label,
                                 keep_unplaced=self.platforms_named <= 1)

    @property
    def channels(self) -> list[dict]:
        """The platform's reporting channels in this language (the directory's data)."""
        entry = self.platform_entry
        if entry is None:
            return []
        out = []
        for channel in entry.channels:
            if channel.notices and self.variant not in channel.notices:
                continue  # a channel for another kind of notice
            out.append({"kind": channel.kind, "url": channel.url or "",
                        "address": channel.address or "",
                        "path": tidy_text(pick_text(channel.path, self.lang)),
                        "label": tidy_text(pick_text(channel.label, self.lang))})
        return out

    def labels(self, fact_id: str) -> list[str]:
        values = self.facts.get(fact_id) or []
        if not isinstance(values, list | tuple):
            values = [values]
        return [self.label(fact_id, value) for value in values]

    def fact(self, fact_id: str, default=None):
        return self.facts.get(fact_id, default)

    @property
    def handles(self) -> list[str]:
        """Accounts known for the perpetrator: given ones first, then the evidence's posters."""
        given = self.details.get("perpetrator.handles_list") or []
        seen = dict.fromkeys([*given, *(item.poster for item in self.evidence if item.poster)])
        return list(seen)

    @property
    def perpetrator_known(self) -> bool:
        return not isinstance(self.details.get("perpetrator.name"), Placeholder) and bool(
            self.details.get("perpetrator.name")
        )

    @property
    def evidence_counts(self) -> list[tuple[str, int]]:
        return sorted(Counter(item.kind or "other" for item in self.evidence).items())

    @property
    def timeline(self) -> list[dict]:
        """Evidence grouped by day, platform and poster, oldest first (at most 40 rows)."""
        groups: Counter = Counter()
        for item in self.evidence:
            if not item.is_publication:  # her originals and context items were not posted
                continue
            day = (item.posted_at or "")[:10]
            groups[(day, item.platform, item.poster)] += 1
        rows = [
            {"date": day, "platform": platform, "poster": poster, "count": count}
            for (day, platform, poster), count in groups.items()
        ]
        rows.sort(key=lambda row: (row["date"] == "", row["date"]))
        return rows[:40]



def _placeholder(key: str, lang: str, jurisdiction: str) -> Placeholder:
    label = phrase(f"detail.{key}", lang, jurisdiction)
    return Placeholder(str(phrase("placeholder", lang, jurisdiction, label=label)))


def _details(
    kind: str, facts: Mapping, overrides: Mapping, lang: str, jurisdiction: str, skip=(),
    omit=(),
):
    values = dict(overrides)
    if not values.get("narrative") and facts.get("incident.narrative"):
        values["narrative"] = facts["incident.narrative"]
    handles = values.get("perpetrator.handles") or []
    if isinstance(handles, str):
        handles = [h.strip() for h in handles.replace("\n", ",").split(",") if h.strip()]
    details: dict[str, Any] = {"perpetrator.handles_list": list(handles)}
    # Every detail given is available to the template; only the kind's own become placeholders.
    for key in DETAIL_KEYS:
        if values.get(key) not in (None, "", []) and key != "perpetrator.handles":
            details[key] = values[key]
    missing: list[str] = []
    for key in KIND_DETAILS[kind]:
        if key in skip or key in omit or key in details:
            continue
        details[key] = _placeholder(key, lang, jurisdiction)
        missing.append(str(details[key]))
    return details, missing


def fact_texts(catalog) -> tuple[dict, dict, dict]:
    """(value labels, questions, short names) from the facts catalog, for documents' wording."""
    labels, questions, names = {}, {}, {}
    for fact_id, fact in (getattr(catalog, "facts", None) or {}).items():
        if fact.value_labels:
            labels[fact_id] = dict(fact.value_labels)
        questions[fact_id] = dict(fact.question or {})
        if getattr(fact, "label", None):
            names[fact_id] = dict(fact.label)
    return labels, questions, names


# YAML folded scalars (`>-`) join lines with a space, which is right in English and a stray
# gap in Chinese: drop whitespace between two CJK characters or CJK punctuation marks.
_CJK = "\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef"
_CJK_GAP = re.compile(f"(?<=[{_CJK}])\\s+(?=[{_CJK}])")
_ROUTE_TEXTS = ("title", "summary", "authority")
_ROUTE_LISTS = ("evidence", "next_steps", "remedies", "reasons")


# A source title's trailing edition or document number — "（2012年修正，施行至2025年12月31日）",
# "（法释〔2010〕3号）" — is no part of the name a Chinese citation puts in 《》; a name's own
# number is ("刑法修正案（九）", "…的解释（二）"): only a last parenthetical with a digit moves.
_ORGANISATION = re.compile(r"(中心|委员会|办公室)$")  # a body's name, not a law's title
_EDITION = re.compile(r"^(?P<name>.+?)(?P<edition>（[^（）]*[0-9〔][^（）]*）)$")


def _edition(instrument: str) -> tuple[str, str]:
    match = _EDITION.match(instrument)
    return (match["name"], match["edition"]) if match else (instrument, "")


def tidy_text(text):
    return _CJK_GAP.sub("", text) if isinstance(text, str) else text


def _tidy_route(route: Mapping) -> dict:
    out = dict(route)
    for key in _ROUTE_TEXTS:
        out[key] = tidy_text(out.get(key))
    for key in _ROUTE_LISTS:
        out[key] = [tidy_text(t) for t in out.get(key) or []]
    deadlines = out.get("deadlines") or []
    out["deadlines"] = [dict(d, label=tidy_text(d.get("label"))) for d in deadlines]
    return out


def select_routes(assessment: Mapping, kind: str) -> list[dict]:
    """Routes that produce `kind`: those met or unknown; else every one that names it."""
    producing = [r for r in assessment.get("routes", []) if kind in (r.get("documents") or [])]
    active = [r for r in producing if r.get("status") in _ACTIVE]
    return active or producing


def _checklist_routes(assessment: Mapping) -> list[dict]:
    """Routes met or undecided, and routes not met only for a threshold gap (the count that
    is still missing is exactly what the checklist is for)."""
    routes = assessment.get("routes", [])
    chosen = [r for r in routes if r.get("status") in _ACTIVE or r.get("gaps")] or list(routes)
    order = {"met": 0, "unknown": 1, "time_barred": 2, "not_met": 3}
    return sorted(chosen, key=lambda r: order.get(r.get("status"), 4))  # stable: file order


def pleaded(citations: Iterable[Mapping]) -> list[dict]:
    """The citations a document states as the basis of the offence or claim: `ground` ones
    (an exception, a remedy, a time limit or an effective-date act is no basis of liability;
    docs/rule-authoring.md, "Citing")."""
    return [dict(c) for c in citations if c.get("role", "ground") == "ground"]


# An article's number and what follows it: "1034", "1034(3)", "1033(三), (四), (五)",
# "1708.85(a)". The rest must be subdivisions only for "1034(3)" to fold into "1034".
_ARTICLE = re.compile(r"^(\d+(?:\.\d+)?)((?:\s*[,，]?\s*\([^()]+\))*)$")


def _citations(routes: Iterable[Mapping], role: str = "ground") -> list[dict]:
    """The citations of `routes` with `role` (by default the pleaded ones), each once, as a
    lawyer lists them: each instrument's articles in their order, and a subdivision left out
    where the whole article is cited ("第一千零三十四条" once, not beside its 第二款 and 第三款)."""
    seen: dict[tuple, dict] = {}
    for route in routes:
        for citation in route.get("citations") or []:
            if citation.get("role", "ground") == role:
                key = (citation.get("instrument"), citation.get("article"))
                seen.setdefault(key, dict(citation))
    whole = {(c.get("instrument"), str(c.get("article"))) for c in seen.values()}
    instruments = list(dict.fromkeys(c.get("instrument") for c in seen.values()))

    def folded(c: Mapping) -> bool:
        match = _ARTICLE.match(str(c.get("article") or ""))
        return bool(match and match.group(2) and (c.get("instrument"), match.group(1)) in whole)

    def order(c: Mapping) -> tuple:
        match = _ARTICLE.match(str(c.get("article") or ""))
        number = float(match.group(1)) if match else float("inf")
        return instruments.index(c.get("instrument")), number
    kept = [c for c in seen.values() if not folded(c)]
    return sorted(kept, key=order)  # stable: unnumbered articles keep their order


def build(
    kind: str,
    assessment: Mapping,
    facts: Mapping,
    evidence_items: Iterable[Mapping] = (),
    lang: str | None = None,
    overrides: Mapping | None = None,
    *,
    platform: str | None = None,
    basis_route_id: str | None = None,
    variant: str | None = None,
    fact_labels: Mapping | None = None,
    fact_questions: Mapping | None = None,
    fact_names: Mapping | None = None,
    today: dt.date | None = None,
    platform_entry=None,
) -> Document:
    """Build one document's data.

    `assessment` is one jurisdiction's `Assessment.to_dict()` assessed in `lang` (so route
    texts are in the version's language); `overrides` holds DETAIL_KEYS values; `fact_labels`
    maps fact id -> value -> {lang: label} (the catalog's value labels); `platform_entry`
    is the platform directory's entry for `platform` (its name, legal entity, channels).
    """
    if kind not in KINDS:
        raise ValueError(f"unknown document kind {kind!r}; expected one of {', '.join(KINDS)}")
    assessment = dict(assessment, routes=[_tidy_route(r) for r in assessment.get("routes", [])])
    jurisdiction = assessment["jurisdiction"]
    filing_lang = assessment.get("language") or "en"
    lang = lang or filing_lang
    items = [EvidenceRow.from_mapping(i, row) for i, row in enumerate(evidence_items, start=1)]
    labels = dict(fact_labels or {})
    platform_label = None
    if platform:
        entry = labels.get("distribution.platforms", {}).get(platform, {})
        platform_label = entry.get(lang) or entry.get("en") or platform
    elif kind == "takedown_notice":
        platform_label = str(phrase("the_platform", lang, jurisdiction))
    platforms_named = len(facts.get("distribution.platforms") or [])
    # A takedown notice names the content by the evidence log's references when it has some
    # on that platform; otherwise the locations are a placeholder to fill.
    on_platform = items_on_platform(items, platform, platform_label,
                                    keep_unplaced=platforms_named <= 1)
    skip: tuple[str, ...] = ("content.locations",) if on_platform else ()
    if kind == "takedown_notice" and not _needs_identity(variant, platform_entry, jurisdiction):
        skip += ("victim.id_number",)  # only a notice under the platform's own law needs it
    omit = tuple(assessment.get("omit_details") or ())
    details, missing = _details(kind, facts, overrides or {}, lang, jurisdiction, skip, omit)
    # A detail her notice must not carry (an ID number to a platform not bound by the law
    # that asks for it) or her jurisdiction never prints is left out even when she gave it.
    for key in (*omit, *(k for k in skip if k in _PERSONAL)):
        details.pop(key, None)
    if (overrides or {}).get(VIA_LAWYER_ONLY) and kind not in _IDENTIFIED_TO:
        missing = _via_lawyer(details, missing, lang, jurisdiction)
    if kind == "evidence_checklist":
        routes = _checklist_routes(assessment)
    elif kind in ("evidence_list", "case_timeline"):
        routes = []
    else:
        routes = select_routes(assessment, kind)
    basis_route = None
    if kind == "takedown_notice":
        basis_route = next((r for r in routes if r["id"] == basis_route_id), None)
        routes = [basis_route] if basis_route else []
    doc = Document(
        kind=kind,
        variant=variant or _default_variant(kind, jurisdiction),
        jurisdiction=jurisdiction,
        jurisdiction_name=str(assessment.get("name") or jurisdiction),
        lang=lang,
        filing_lang=filing_lang,
        paper=str(assessment.get("paper") or "A4"),
        routes=routes,
        citations=_citations(routes),
        facts=dict(facts),
        details=details,
        evidence=items,
        placeholders=missing,
        rules_version=str(assessment.get("rules_version") or ""),
        rules_status=str(assessment.get("rules_status") or ""),
        reviewed_on=str(assessment.get("reviewed_on") or ""),
        platform=platform,
        platform_label=platform_label,
        basis_route=basis_route,
        fact_labels=labels,
        fact_questions=dict(fact_questions or {}),
        fact_names=dict(fact_names or {}),
        created_on=today or dt.date.today(),
        addressee=_addressee(kind, routes, details, basis_route, platform_entry,
                             platform_label, lang, jurisdiction)
        if kind in _ADDRESSED else "",
        platform_entry=platform_entry,
        platforms_named=platforms_named,
        offences=[r for r in assessment.get("routes", [])
                  if "police_report" in (r.get("documents") or [])
                  and r.get("status") in ("met", "unknown")],
    )
    if kind == "case_timeline":
        dated = [{"posted_at": i.posted_at, "captured_at": i.captured_at, "role": i.role}
                 for i in items]
        doc.chronology = chronology.points(
            assessment, facts, dated, chronology.events_from(overrides), lang, jurisdiction,
            doc.fact_name, doc.date_text, doc.created_on)
    return doc


# Her choice to be reached only through a lawyer (web: documents/exposure.py): phone, address
# and ID number are left out of every document that may reach the poster.
VIA_LAWYER_ONLY = "contact.via_lawyer_only"
_PERSONAL = ("victim.contact", "victim.address", "victim.id_number")
# The police, the procuratorate and a criminal court need who she is and how to reach her.
_IDENTIFIED_TO = ("police_report", "receipt_request", "reconsideration_application",
                  "supervision_application")
# Notices under a law that requires the notifier's real identity (PRC Civil Code 1195,
# ICN Regulations art. 14), to a platform bound by it.
_IDENTITY_NOTICES = ("civil_code_1195", "icn_copyright")


def _needs_identity(variant, platform_entry, jurisdiction) -> bool:
    if variant not in _IDENTITY_NOTICES:
        return False
    return platform_entry is None or platform_entry.based_in in (None, jurisdiction)


def _via_lawyer(details: dict, missing: list[str], lang: str, jurisdiction: str) -> list[str]:
    """Replace her personal details by a marked line for counsel's; returns `missing` without
    the placeholders of the details replaced."""
    dropped = set()
    for key in _PERSONAL:
        if key in details:
            dropped.add(str(details[key]))
            details[key] = Placeholder(str(phrase(f"via_lawyer.{key}", lang, jurisdiction)))
    return [m for m in missing if m not in dropped]


def _addressee(kind, routes, details, basis_route, platform_entry, platform_label,
               lang, jurisdiction) -> str:
    """Who the document is addressed to: the court she names, the platform's legal entity
    from the directory, else the routes' `addressee` from the rule file (never help text)."""
    if kind == "civil_complaint" and details.get("court"):
        return details["court"]  # the court she names replaces the rule file's blank
    if kind == "takedown_notice":
        if basis_route and basis_route.get("notice_template") == "authority_report":
            return tidy_text(basis_route.get("addressee") or "") \
                or _placeholder("addressee", lang, jurisdiction)
        name = platform_entry.display_name(lang) if platform_entry is not None \
            else (platform_label or "")
        entity = platform_entry.legal_entity if platform_entry is not None else None
        if entity is not None and entity.name != name:
            # "Telegram（电报）" inside the entity's parentheses would nest them: the name alone.
            plain = re.sub(r"\s*[（(][^（）()]*[）)]$", "", name) or name
            return str(phrase("entity_of_platform", lang, entity=entity.name, platform=plain))
        return name
    chosen = [r for r in routes if r.get("status") == "met"] or list(routes)
    found = list(dict.fromkeys(tidy_text(r.get("addressee")) for r in chosen
                               if r.get("addressee")))
    if not found:
        return _placeholder("addressee", lang, jurisdiction)
    # Blanks (＿＿) to complete are marked like any other placeholder.
    return Placeholder(found[0]) if _BLANK in found[0] else found[0]


_BLANK = "＿＿"


def pick_text(text, lang: str) -> str:
    """A rule-file text mapping in `lang` (else English), or '' when absent."""
    if not text:
        return ""
    return text.get(lang) or text.get("en") or next(iter(text.values()), "")


def _default_variant(kind: str, jurisdiction: str) -> str:
    """The template is `<kind>/<jurisdiction>.html` when the jurisdiction has its own form
    (html.template_name falls back to `<kind>/default.html`)."""
    return jurisdiction
