"""Chinese legal citation style: 第一千零一十九条, 第二百五十三条之一, 第三百六十四条第一款.

Rule files write article numbers the way editors type them ("1019", "253-1", "364(1)",
"88; 89"); a Chinese document must print them as a Chinese court or police officer writes
them, never "第 253-1 条". Anything this cannot read is printed as written, inside 第…条.
"""

from __future__ import annotations

import re

_DIGITS = "零一二三四五六七八九"
_UNITS = ((1000, "千"), (100, "百"), (10, "十"))
_ITEM = r"\([一二三四五六七八九十]+\)"
_ARTICLE = re.compile(rf"^(\d+)(?:-(\d+))?((?:\(\d+\))?)((?:{_ITEM}(?:[–-]{_ITEM})?)?)$")


def chinese_number(n: int) -> str:
    """0 <= n < 10000 in Chinese numerals, as statutes number articles: 10 -> 十,
    15 -> 十五, 110 -> 一百一十, 1019 -> 一千零一十九, 1200 -> 一千二百."""
    if not 0 <= n < 10000:
        raise ValueError(f"article number out of range: {n}")
    if n == 0:
        return _DIGITS[0]
    if 10 <= n < 20:
        return "十" + (_DIGITS[n - 10] if n > 10 else "")
    out, zero = [], False
    for value, unit in _UNITS:
        digit, n = divmod(n, value)
        if digit:
            if zero:
                out.append(_DIGITS[0])
            out.append(_DIGITS[digit] + unit)
            zero = False
        elif out:
            zero = True
    if n:
        if zero:
            out.append(_DIGITS[0])
        out.append(_DIGITS[n])
    return "".join(out)


def chinese_article(article: str) -> str | None:
    """One article reference in Chinese style, or None when it is not of a known shape."""
    match = _ARTICLE.match(article.strip())
    if not match:
        return None
    number, sub, paragraph, item = match.groups()
    text = f"第{chinese_number(int(number))}条"
    if sub:
        text += f"之{chinese_number(int(sub))}"
    if paragraph:
        text += f"第{chinese_number(int(paragraph[1:-1]))}款"
    if item:
        first, _, last = item.replace("–", "-").partition("-")
        text += "至".join(f"第{part.replace('(', '（').replace(')', '）')}项"
                         for part in (first, last) if part)
    return text


def chinese_articles(articles: str) -> str:
    """"88; 89" -> 第八十八条、第八十九条; unreadable parts stay as written (in 第…条 when
    they start with a number)."""
    parts = [p.strip() for p in re.split(r"[;；,，]", str(articles)) if p.strip()]
    return "、".join(chinese_article(p) or _item_alone(p) or (f"第{p}条" if p[0].isdigit() else p)
                    for p in parts)


def _item_alone(part: str) -> str | None:
    """"(四)" after an article ("1033(三); (四)") is a further item: 第（四）项."""
    if re.fullmatch(_ITEM, part):
        return f"第{part.replace('(', '（').replace(')', '）')}项"
    return None


_CN_DIGIT = {c: i for i, c in enumerate(_DIGITS)}


def _from_chinese(text: str) -> int | None:
    """一 .. 九十九 (the item numbers of a statute) as an integer, else None."""
    if not text or any(c not in _CN_DIGIT and c != "十" for c in text):
        return None
    if "十" not in text:
        return _CN_DIGIT[text] if len(text) == 1 else None
    tens, _, ones = text.partition("十")
    if len(tens) > 1 or len(ones) > 1:
        return None
    return (_CN_DIGIT[tens] if tens else 1) * 10 + (_CN_DIGIT[ones] if ones else 0)


def _english_items(part: str) -> str:
    """"10(1)(十二)" -> "10(1)(12)": an English reader cannot read Chinese item numerals."""
    def number(match: re.Match) -> str:
        value = _from_chinese(match.group(1))
        return f"({value})" if value is not None else match.group(0)
    return re.sub(r"\(([一二三四五六七八九十]+)\)", number, part)


def _and(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def english_articles(articles: str) -> str:
    """A Chinese law's articles as an English paper cites them: "1194; 1196; 1197" ->
    "arts. 1194, 1196 and 1197", "10(1)(十二); 11" -> "arts. 10(1)(12) and 11",
    "1033(三); (四)" -> "art. 1033(3) and (4)" (an item alone belongs to the article before)."""
    groups: list[list[str]] = []
    for part in (p.strip() for p in re.split(r"[;；,，、]", str(articles)) if p.strip()):
        if groups and re.fullmatch(_ITEM, part):
            groups[-1].append(_english_items(part))
        else:
            groups.append([_english_items(part)])
    if not groups:
        return ""
    return ("art. " if len(groups) == 1 else "arts. ") + _and([_and(g) for g in groups])
