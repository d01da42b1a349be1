"""Untrusted text on our pages: escaped, and isolated when it carries bidirectional controls.

A tweet, a handle or a party name may hold right-to-left overrides or embeddings (U+202A-U+202E,
U+2066-U+2069, the marks U+200E/U+200F/U+061C); unisolated, they reorder whatever follows them on
the page - the numbers of a table row, a chart's labels. Wrapped in FIRST STRONG ISOLATE ...
POP DIRECTIONAL ISOLATE, such a string keeps its own direction inside and cannot reach outside,
in HTML text, attributes, SVG labels and tooltips alike.
"""

from __future__ import annotations

import re
from typing import Any

from markupsafe import Markup, escape

BIDI_CONTROLS = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
FSI, PDI = "\u2068", "\u2069"


def isolated(value: Any) -> Any:
    """A string holding bidirectional controls, isolated; anything else as it is."""
    if isinstance(value, str) and not isinstance(value, Markup) and BIDI_CONTROLS.search(value):
        return f"{FSI}{value}{PDI}"
    return value


def text(value: Any) -> Markup:
    """An untrusted value for hand-built HTML or SVG: isolated, then escaped."""
    return escape(isolated(value))
