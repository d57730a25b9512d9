"""Safe display of user-supplied text (names, notes, categories, imported properties)."""

from __future__ import annotations

import html
import json


def escape(value) -> str:
    """Escape text for HTML *and* for folium's JavaScript template literals.

    HTML special characters become entities; the backtick and ``${`` (which would end or
    interpolate a JavaScript template literal) become entities too, so the text shows literally.
    """
    if value is None:
        return ""
    text = html.escape(str(value), quote=True)
    return text.replace("`", "&#96;").replace("${", "&#36;{")


def js_literal(payload) -> str:
    """JSON for embedding in a script: no ``</script>``, backtick or ``${`` can break out."""
    text = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
    return (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("`", "\\u0060").replace("$", "\\u0024")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))
