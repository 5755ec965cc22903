"""The platform directory (jurisdictions/platforms.yaml): valid, dated, every platform she
can choose resolves to an entry, and mistakes are reported with file and line."""

from __future__ import annotations

import shutil

from caseprep.rules import Rules, validate_paths
from caseprep.rules.catalog import default_rules_dir
from caseprep.rules.platforms import FALLBACK, PLATFORMS_FILE

ISSUE_PLATFORMS = ("wechat", "qq", "weibo", "douyin", "xiaohongshu", "baidu_tieba", "telegram",
                   "x", "facebook", "instagram", "reddit", "google_search", "bing", "pornhub",
                   "onlyfans", "other")


def test_shipped_directory_lists_the_issues_platforms_cited_and_dated():
    rules = Rules(default_rules_dir())
    directory = rules.platforms
    ids = {p.id for p in directory.platforms}
    assert set(ISSUE_PLATFORMS) <= ids
    for platform in directory.platforms:
        assert platform.source and platform.checked_on and platform.channels
        assert {"en", "zh_Hans"} <= set(platform.name)
    # Every platform she can choose resolves: its own entry or the fallback.
    for value in rules.catalog.facts["distribution.platforms"].values:
        assert directory.get(value).id in (value, FALLBACK)


def test_a_broken_directory_is_reported_with_file_and_line(tmp_path):
    folder = tmp_path / "rules"
    shutil.copytree(default_rules_dir(), folder, ignore=shutil.ignore_patterns("cases"))
    path = folder / PLATFORMS_FILE
    text = path.read_text(encoding="utf-8")
    text = text.replace("  - id: bing\n", "  - id: bingo\n", 1)
    text = text.replace("        address: abuse@telegram.org", "        addres: abuse@telegram.org")
    text = text.replace("        notices: [take_it_down, platform_policy]",
                        "        notices: [take_it_down, love_letter]", 1)
    path.write_text(text, encoding="utf-8")
    _, errors = validate_paths([folder])
    messages = [str(e) for e in errors]
    assert any(m.startswith("platforms.yaml:") and "'bingo' is not a value of the fact" in m
               for m in messages)
    assert any("unknown field 'addres' (did you mean 'address'?)" in m for m in messages)
    assert any("channel needs `address`" in m for m in messages)
    assert any("unknown notice 'love_letter'" in m for m in messages)
    assert all(e.line for e in errors)
