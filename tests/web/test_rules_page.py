"""The public rules pages (issue 19): no case, no login; every route with its citations,
in-force dates, review state and last change; in the reader's language."""

import pytest
import yaml
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from caseprep import create_app
from caseprep.rules.packs import build_pack, install_pack
from tests.rules.conftest import VALID
from tests.web.conftest import csrf_token


@pytest.fixture
def rules_dir(rules_dir):
    """The web tests' rule file with one reviewed route, one needing review and a changelog."""
    path = rules_dir / "zz.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    routes = {r["id"]: r for r in data["routes"]}
    routes["obscene_spread"]["review"] = {"state": "reviewed", "by": "Testland Legal Aid",
                                         "role": "criminal lawyers", "on": "2026-10-01"}
    routes["obscene_spread"]["in_force"] = {"from": "2026-01-01", "to": None}
    routes["portrait_right"]["review"] = {"state": "needs-review",
                                         "note": "civil code amended"}
    data["changelog"] = [
        {"version": "2026.11.0", "date": "2026-11-02",
         "changes": {"en": "Volume threshold lowered", "zh_Hans": "降低数量标准"},
         "why": {"en": "New interpretation", "zh_Hans": "新的司法解释"},
         "source": "https://example.org/interpretation", "routes": ["obscene_spread"]},
        {"version": "2026.10.0", "date": "2026-10-01", "changes": {"en": "First version"}},
    ]
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return rules_dir


def test_index_lists_each_place_with_its_review_summary(client):
    response = client.get("/rules/")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert 'href="/rules/zz"' in html
    assert "Routes reviewed: 1 of 5; drafts: 3; needing review: 1." in html
    assert "Last change:" in html and "Volume threshold lowered" in html


def test_jurisdiction_page_shows_routes_citations_dates_review_and_changes(client):
    html = client.get("/rules/zz").get_data(as_text=True)
    spread = html[html.index('id="route-obscene_spread"'):html.index('id="route-police_penalty"')]
    assert "Spreading obscene images" in spread
    assert "In force from January 1, 2026" in spread
    assert "Reviewed</span>: by Testland Legal Aid (criminal lawyers), October 1, 2026" in spread
    assert "<blockquote>传播淫秽物品</blockquote>" in spread
    assert "checked against the source text" in spread
    assert "Volume threshold lowered" in spread and "New interpretation" in spread
    assert 'href="https://example.org/interpretation"' in spread
    portrait = html[html.index('id="route-portrait_right"'):]
    portrait = portrait[:portrait.index("</section>")]
    assert "Needs review</span> — civil code amended" in portrait
    assert "not yet checked against the official text" in portrait
    assert "Last change:" not in portrait  # no changelog entry names it
    police = html[html.index('id="route-police_penalty"'):html.index('id="route-portrait_right"')]
    assert "Draft: not yet reviewed" in police
    assert html.count("First version") == 1  # only in the file's change list


def test_in_chinese(client):
    html = client.get("/rules/zz", headers={"Accept-Language": "zh-CN"}).get_data(as_text=True)
    assert "测试国的规则" in html
    assert "草稿：尚未审核" in html
    assert "降低数量标准" in html and "新的司法解释" in html
    assert "尚未与官方文本核对" in html


def test_unknown_place_is_404(client):
    assert client.get("/rules/qq").status_code == 404


def test_needs_no_case_and_shows_no_case(client, new_case):
    """The page opens without a case; with a case open, it still shows none of it."""
    assert client.get("/rules/zz").status_code == 200
    code = new_case()
    html = client.get("/rules/zz").get_data(as_text=True)
    assert code not in html
    page = client.get("/").get_data(as_text=True)
    assert csrf_token(page)


def test_results_link_to_the_rules_they_were_made_with(client, new_case):
    new_case()
    html = client.get("/wizard/results").get_data(as_text=True)
    assert "Rules version 2026.11.0" in html
    assert '<a href="/rules/zz">These rules: sources and review state of each route</a>' in html


def test_rules_installed_from_a_signed_pack_say_so(app_config, tmp_path):
    # The rules-core tests' folder passes its own scenarios (this module's zz.yaml has one
    # that expects not_met where the videos count is unknown, so its pack is refused).
    key = Ed25519PrivateKey.generate()
    build_pack(VALID, key, "2026.12.1", tmp_path / "pack.zip")
    instance = app_config["instance_path"]
    install_pack(tmp_path / "pack.zip", key.public_key(), instance / "rules")
    config = {k: v for k, v in app_config.items() if k != "rules_path"}  # the pack, by default
    client = create_app(config).test_client()
    html = client.get("/rules/").get_data(as_text=True)
    assert "installed from signed rule pack 2026.12.1" in html
    assert 'href="/rules/xx"' in html and 'href="/rules/zz"' not in html
