"""Security headers, cookie policy and error pages (owner: security)."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask, settings) -> None:
    pass
