"""What a Chinese reader still tripped over in the motivating case's packet after the reading
pass (test_reading_pass_cn): an organisation in title marks in the 12377 report, a private
chat that "proves" member counts, her checklist's 您 and its bracketed threshold notes, and the
notices' tables (the log's numbers under 序号, ISO dates in Chinese papers).
"""

from __future__ import annotations

import re
from html import unescape

from tests.documents.test_reading_pass_cn import _one, _text, packets  # noqa: F401 (fixture)

_CJK = "\u4e00-\u9fff"
_GAP = re.compile(rf"[{_CJK}，。：；）] +[\d{_CJK}（]|\d +[{_CJK}（]")


def _lines(markup: str) -> list[str]:
    """The body's text, one line per block (cells and list items apart)."""
    body = markup.split("<body", 1)[1]
    body = re.sub(r"<(?:p|li|tr|td|th|h\d|div)\b[^>]*>", "\n", body)
    return [line.strip() for line in re.sub(r"<[^>]+>", "", body).splitlines() if line.strip()]


def _nested(text: str) -> bool:
    depth = 0
    for ch in text:
        if ch == "（":
            depth += 1
            if depth > 1:
                return True
        elif ch == "）":
            depth -= 1
    return False


def test_an_organisation_is_named_without_title_marks(packets):  # noqa: F811
    """The 12377 report cited "《中央网信办（国家互联网信息办公室）违法和不良信息举报中心》
    举报范围": 《》 mark laws and documents, not a reporting centre's page."""
    doc, markup = next((d, m) for d, m in packets["not_reported"]
                       if d.kind == "takedown_notice" and d.variant == "authority_report")
    text = _text(markup)
    assert "《中央网信办" not in text and "举报中心》" not in text
    assert "中央网信办（国家互联网信息办公室）违法和不良信息举报中心举报范围" in text
    # A law keeps its title marks, with its edition after them.
    law = {"instrument": "中华人民共和国治安管理处罚法（2012年修正，施行至2025年12月31日）",
           "article": "42"}
    assert str(doc.citation(law)).startswith("《中华人民共和国治安管理处罚法》（2012年修正")
    notice, _markup = next((d, m) for d, m in packets["not_reported"]
                           if d.variant == "civil_code_1195" and d.lang == "zh_Hans")
    assert "《中华人民共和国民法典》第一千一百九十五条" in _text(_markup)


def test_a_context_item_proves_what_its_role_is_not_a_group_count(packets):  # noqa: F811
    """The 证据目录 said her 微信私聊 screenshot (context, no note) proves
    "（如成员数、浏览量）"."""
    doc, markup = _one(packets, "refused", "evidence_list")
    chat = next(i for i in doc.evidence if i.reference == "微信私聊")
    proves = doc.proves(chat)
    assert "成员数" not in proves and "浏览量" not in proves
    assert proves == str(doc.t("list.proves_context"))
    row = next(line for line in _text(markup).split("微信私聊", 1)[1:])
    assert "成员数" not in row.split("SHA-256", 1)[0]
    # A publication screenshot proves the post; an item's own note goes first.
    post = next(i for i in doc.evidence if i.is_publication)
    assert doc.proves(post) == str(doc.t("list.proves_default"))
    assert "群成员数截图" in _text(markup)


def test_her_checklist_says_ni_and_writes_its_threshold_notes_plainly(packets):  # noqa: F811
    """The checklist opened with "您已有的证据" and printed gaps as
    "单条帖子的浏览或点击量：标准 5000，尚未统计（情节严重（满足任意一项即可）） （最接近）"."""
    for situation in ("not_reported", "refused", "penalty"):
        _doc, markup = _one(packets, situation, "evidence_checklist")
        text = _text(markup)
        assert "您" not in text, situation
        assert "证据清单与补充事项你已有的证据" in text
        gaps = [line for line in _lines(markup) if "标准" in line and "：" in line
                and ("尚未统计" in line or "现有" in line)]
        assert gaps, situation
        for line in gaps:
            assert not _nested(line), line
            assert not _GAP.search(line), line
    _doc, markup = _one(packets, "not_reported", "evidence_checklist")
    assert ("单条帖子的浏览或点击量：标准5000，尚未统计（情节严重，满足任意一项即可）（最接近）"
            in _lines(markup))


def test_a_notice_numbers_its_rows_as_the_evidence_log_does_and_says_so(packets):  # noqa: F811
    """The notices listed items 2–4 of her log under 序号 (a reviewer reads a row count with
    rows missing): the column is headed 证据编号 / "Evidence no.", the 证据目录's numbers."""
    seen = set()
    for doc, markup in packets["not_reported"]:
        if doc.kind != "takedown_notice" or not doc.platform_items:
            continue
        table = markup.split('<table class="evidence">', 1)[1].split("</table>", 1)[0]
        head = re.sub(r"<[^>]+>", "|", table.split("</thead>", 1)[0])
        numbers = [int(n) for n in re.findall(r"<tr><td>(\d+)</td>", table)]
        assert numbers == [i.index for i in doc.platform_items] == [2, 3, 4], doc.file_stem
        expected = "证据编号" if doc.lang.startswith("zh") else "Evidence no."
        assert expected in head and "序号" not in head, (doc.file_stem, head)
        seen.add(doc.lang)
    assert seen == {"zh_Hans", "en"}


def test_chinese_papers_write_dates_in_tables_in_chinese(packets):  # noqa: F811
    """"2025-04-20 20:00" in the notices', the 控告书's and the 证据目录's tables."""
    checked = set()
    for doc, markup in packets["not_reported"]:
        body = markup.split("<body", 1)[1]
        if not doc.lang.startswith("zh"):
            if doc.evidence and "2025-04-20" in body:
                assert "2025-04-20 20:00" in body
            continue
        assert not re.search(r"\d{4}-\d{2}-\d{2}", re.sub(r"<[^>]+>", "", body)), doc.file_stem
        if "2025年4月20日" in body and doc.kind in ("takedown_notice", "police_report",
                                                   "evidence_list"):
            # The time stays with its day (a no-break space: a narrow cell breaks elsewhere).
            assert "2025年4月20日\u00a020:00" in unescape(body), doc.file_stem
            checked.add(doc.kind)
    assert checked == {"takedown_notice", "police_report", "evidence_list"}
