"""The language of a page: ?lang= (ja or en), else the browser's Accept-Language, else Japanese; shared by the
linked-data pages (linked.py) and the query UI (ui.py)."""

from __future__ import annotations

from flask import request

from ecograph.http import pages

LANGS = ("ja", "en")


def language() -> tuple[tuple[str, str], bool]:
    """The language order (chosen first) and whether it was chosen with ?lang=."""
    asked = request.args.get("lang", "").lower()
    first = asked if asked in LANGS else request.accept_languages.best_match(LANGS, default="ja")
    return (first, "en" if first == "ja" else "ja"), asked in LANGS


def html_context() -> pages.Html:
    order, explicit = language()
    return pages.Html(order, request.script_root, explicit)
