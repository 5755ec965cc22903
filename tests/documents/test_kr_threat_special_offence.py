"""The Korean 고소장 names a threat made with sexual footage as the special offence of SPA
art. 14-3 only, never also as ordinary threats (Criminal Act art. 283) for the same act; the
ordinary offence is named where art. 14-3 does not apply, including threats made before art.
14-3 covered them (jurisdictions/kr.yaml 2026.11.5)."""

from __future__ import annotations

import datetime as dt
import html as html_lib
import re

import pytest

from caseprep.documents import html, service
from caseprep.rules import assess, load_jurisdictions
from tests.documents.helpers import squash

SPECIAL = "성폭력범죄의처벌등에관한특례법위반(촬영물등이용협박)"
ORDINARY = "협박"
DETAILS = {"victim.name": "김지은", "victim.contact": "010-0000-0000",
           "perpetrator.name": "박○○", "narrative": "헤어진 뒤 사진을 가족에게 보내겠다고 했어요."}
THREAT = {"harm.threat_to_share": True, "harm.extortion": True,
          "content.kinds": ["intimate_image"], "content.self_created": True,
          "content.still_online": False, "victim.is_minor": False,
          "perpetrator.identified": True, "perpetrator.relationship": "ex_partner"}
TODAY = dt.date(2026, 11, 27)
EARLIER = dt.date(2024, 1, 1)  # within art. 283's 5 years of a threat made in 2020


def _purpose(facts: dict, today: dt.date = TODAY) -> str:
    """The 고소취지 of the kr 고소장 for these facts, as text without spaces."""
    kr = load_jurisdictions()["kr"]
    doc, = service.build_documents(kr, facts, DETAILS, [], ["police_report"], today=today)
    text = squash(html_lib.unescape(re.sub(r"<[^>]+>", " ", html.render_html(doc))))
    return text.split("3.고소취지")[1].split("4.고소사실")[0]


def test_a_threat_with_her_photos_is_named_as_art_14_3_alone():
    purpose = _purpose({**THREAT, "harm.threatened_image_exists": True,
                        "incident.threat_made_on": "2026-02-02"})
    assert purpose.startswith("고소인은피고소인을" + SPECIAL + "혐의로")
    # 협박 appears only inside the special charge name, never as a second charge.
    assert purpose.count(ORDINARY) == 1
    assert "," not in purpose.split("혐의로")[0]


@pytest.mark.parametrize(("changes", "today", "why"), [
    ({"harm.threatened_image_exists": False, "incident.threat_made_on": "2026-02-02"}, TODAY,
     "the picture never existed"),
    ({"harm.threatened_image_exists": True, "incident.threat_made_on": "2020-05-18"}, EARLIER,
     "the day before art. 14-3 took effect"),
    ({"harm.threatened_image_exists": True, "content.kinds": ["manipulated_media"],
      "content.fake_is_intimate": True, "incident.threat_made_on": "2024-10-15"}, TODAY,
     "a deepfake threat the day before art. 14-3 took in deepfakes"),
])
def test_ordinary_threats_are_named_where_art_14_3_does_not_apply(changes, today, why):
    purpose = _purpose({**THREAT, **changes}, today)
    assert purpose.startswith("고소인은피고소인을" + ORDINARY + "혐의로"), why
    assert SPECIAL not in purpose, why


def test_the_assessment_says_why_ordinary_threats_step_aside():
    kr = load_jurisdictions()["kr"]
    facts = kr.catalog.coerce({**THREAT, "harm.threatened_image_exists": True,
                               "incident.threat_made_on": "2026-02-02"})
    routes = {r["id"]: r for r in assess(kr, facts, lang="ko", today=TODAY).to_dict()["routes"]}
    assert routes["spa_14_3_threat"]["status"] == "met"
    assert routes["criminal_act_283_threat_footage_2020"]["status"] == "not_met"
    ordinary = routes["criminal_act_283_threat"]
    assert ordinary["status"] == "not_met"
    assert any("제14조의3" in reason and "따로 적용하지 않아요" in reason
               for reason in ordinary["reasons"])
