"""How Korean legal papers write citations and dates: 「법률」 제14조제2항, 2026. 2. 1.

Rule files write articles in a compact form shared by all languages ("14(2)", "44-7(1)1, 9",
"249(1)4; 252(1)"). A Korean police officer or clerk reads them the way the statutes number
themselves (법령 표기: 조·항·호, 조의 가지번호 "의"), see the 법제처 rules on citing legislation.
"""

from __future__ import annotations

import datetime as dt
import re

_PIECE = re.compile(
    r"(?:(?P<art>\d+)(?:-(?P<branch>\d+))?)?"
    r"(?:\((?P<para>\d+)\)(?:-\((?P<para_to>\d+)\))?)?"
    r"(?P<item>\d+)?"
)


def korean_articles(article: str) -> str:
    """'14-2(1)' -> '제14조의2제1항'; '249(1)4, 5; 252(1)' -> '제249조제1항제4호·제5호,
    제252조제1항'.

    A reference may end in a note ("14(2) (before Act No. 15977)"); anything else that is not
    a plain article reference (부칙 <제15977호> 1; 7) leaves the whole citation as written, so
    nothing is ever dropped or renumbered.
    """
    groups = [_group(part.strip()) for part in article.split(";") if part.strip()]
    written = [group for group in groups if group is not None]
    return ", ".join(written) if len(written) == len(groups) else article


def _group(text: str) -> str | None:
    """One ';'-separated part: pieces joined by '·'; a bare number after an item is an item."""
    out: list[str] = []
    level = None
    for piece in (p.strip() for p in text.split(",")):
        match = _PIECE.fullmatch(piece)
        if match is None and (head := _PIECE.match(piece)) and piece[head.end():][:1] == " ":
            # "14-2(1) (Act No. 17086 text)": the reference, then the note as written
            reference = _group(piece[:head.end()]) if not out else None
            return reference + piece[head.end():] if reference else None
        if not piece or match is None:
            return None
        art, branch, para, para_to, item = match.group("art", "branch", "para", "para_to", "item")
        if art and para is None and item is None and level == "item":
            out.append(f"제{art}호")  # "249(1)4, 5": 5 is another item (호) of paragraph 1
            continue
        words = []
        if art:
            words.append(f"제{art}조" + (f"의{branch}" if branch else ""))
            level = "art"
        if para:
            words.append(f"제{para}항" + (f"부터 제{para_to}항까지" if para_to else ""))
            level = "para"
        if item:
            words.append(f"제{item}호")
            level = "item"
        out.append("".join(words))
    return "·".join(out)


def korean_date(day: dt.date) -> str:
    """A date as Korean court and police papers print it: '2026. 2. 1.'"""
    return f"{day.year}. {day.month}. {day.day}."


# Particles that change with the sound before them, written in phrases as "은(는)" (the form
# after a consonant, then the form after a vowel) and resolved once the values are in: the
# role words ("고소인", "원고") and offences differ between documents.
_PARTICLES = {"은(는)": ("은", "는"), "이(가)": ("이", "가"), "을(를)": ("을", "를"),
              "과(와)": ("과", "와"), "으로(로)": ("으로", "로"), "이다(다)": ("이다", "다")}
_PARTICLE = re.compile("|".join(re.escape(key) for key in _PARTICLES))
# How a digit is read (일, 이, 삼 …): the final sound of its reading decides.
_DIGIT_FINAL = {"0": "ㅇ", "1": "ㄹ", "2": "", "3": "ㅁ", "4": "", "5": "", "6": "ㄱ", "7": "ㄹ",
                "8": "ㄹ", "9": ""}
# A parenthetical is an aside, not read with the word before it; the text inside other
# brackets and quotes is ("「형법」으로", "[청구 금액]을").
_ASIDE = {")": "(", "）": "（"}
_QUOTE_CLOSING = "]」』】”’\"'"


def _final_sound(text: str) -> str | None:
    """The final consonant of the last spoken syllable of `text` ('' after a vowel), skipping a
    closing parenthetical ("반포등(제14조제2항)" is read "반포등"); None when unknown."""
    end = len(text.rstrip())
    while end and (text[end - 1] in _ASIDE or text[end - 1] in _QUOTE_CLOSING
                   or text[end - 1] == ">"):
        if text[end - 1] == ">":  # markup around a value (a marked blank): read what it wraps
            start = text.rfind("<", 0, end - 1)
            if start < 0:
                return None
            end = start
            continue
        if text[end - 1] in _QUOTE_CLOSING:
            end -= 1
            continue
        start = text.rfind(_ASIDE[text[end - 1]], 0, end - 1)
        if start < 0:
            return None
        end = len(text[:start].rstrip())
    if not end:
        return None
    char = text[end - 1]
    if "가" <= char <= "힣":
        jong = (ord(char) - 0xAC00) % 28
        return "" if jong == 0 else ("ㄹ" if jong == 8 else "ㄱ")  # only ㄹ matters beyond yes/no
    return _DIGIT_FINAL.get(char)


def resolve_particles(text: str) -> str:
    """'고소인은(는)' -> '고소인은', '원고은(는)' -> '원고는', '반포등(제14조)으로(로)' -> '…으로'.

    Where the sound before is unknown (a Latin name), the written pair stays: still correct.
    """
    out, last = [], 0
    for match in _PARTICLE.finditer(text):
        after_consonant, after_vowel = _PARTICLES[match.group()]
        final = _final_sound(text[:match.start()])
        out.append(text[last:match.start()])
        if final is None:
            out.append(match.group())
        elif after_consonant == "으로":
            out.append("로" if final in ("", "ㄹ") else "으로")
        else:
            out.append(after_vowel if final == "" else after_consonant)
        last = match.end()
    out.append(text[last:])
    return "".join(out)
