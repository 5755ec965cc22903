"""Locale selection: an explicit switch (stored in the session), then Accept-Language."""

from __future__ import annotations

from flask import Flask, request, session

LOCALES = ("en", "zh_Hans")


def select_locale() -> str:
    chosen = session.get("locale")
    if chosen in LOCALES:
        return chosen
    return request.accept_languages.best_match(["en", "zh", "zh_Hans", "zh-CN"], default="en") \
        .replace("zh-CN", "zh_Hans").replace("zh_Hans", "zh_Hans").replace("zh", "zh_Hans") \
        if request else "en"


def init_app(app: Flask) -> None:
    pass
