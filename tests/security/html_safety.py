"""``executable_markup(html)``: what in a page could run script, as a browser parses it.

The page is parsed by an HTML5 tree builder (tinyhtml5, the html5lib parser WeasyPrint ships
with), so a payload counts as it would in a browser, not as a regular expression guesses.
lms_cx's own templates have no inline script and no event-handler attribute, so any of those
in a page came from data.
"""

from __future__ import annotations

import re
from xml.etree.ElementTree import Element

import tinyhtml5

#: Attributes whose value a browser may follow or load as a URL.
URL_ATTRIBUTES = frozenset(
    {"href", "src", "action", "formaction", "xlink:href", "data", "poster", "background"}
)
#: Elements that run or embed active content wherever they come from.
ACTIVE_ELEMENTS = frozenset({"iframe", "object", "embed", "applet", "base", "frame", "frameset"})
_DANGEROUS_URL = re.compile(r"^(javascript|vbscript|data:text/html|data:image/svg)", re.I)
#: Browsers ignore control characters and whitespace inside a scheme ("java\tscript:").
_IGNORED_IN_SCHEME = re.compile(r"[\x00-\x20\x7f]+")


def executable_markup(html: str, *, static_prefix: str = "/cx/static/") -> list[str]:
    """Return a description of every element or attribute in ``html`` that could run script."""
    root = tinyhtml5.parse(html, namespace_html_elements=False)
    found: list[str] = []
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue  # comments
        tag = _local(element.tag)
        if tag == "script":
            source = element.get("src")
            if source is None or not source.startswith(static_prefix):
                found.append(f"<script src={source!r}>{(element.text or '')[:60]}")
        if tag in ACTIVE_ELEMENTS:
            found.append(f"<{tag}> element")
        if tag == "meta" and (element.get("http-equiv") or "").lower() == "refresh":
            found.append(f"<meta http-equiv=refresh content={element.get('content')!r}>")
        for name, value in element.attrib.items():
            local = _local(name)
            if local.startswith("on"):
                found.append(f"<{tag} {local}={value[:60]!r}>")
            elif local in URL_ATTRIBUTES or name.endswith("}href"):
                if _DANGEROUS_URL.match(_IGNORED_IN_SCHEME.sub("", value)):
                    found.append(f"<{tag} {local}={value[:60]!r}>")
            elif local == "style" and re.search(r"expression\(|javascript:", value, re.I):
                found.append(f"<{tag} style={value[:60]!r}>")
        if tag == "style" and "xss" in (element.text or "").lower():
            found.append("<style> with injected rules")
    return found


def page_text(html: str) -> str:
    """Return the text a reader sees in ``html`` (element text, not markup)."""
    root = tinyhtml5.parse(html, namespace_html_elements=False)
    return "".join(_texts(root))


def _texts(element: Element) -> list[str]:
    parts = [element.text or ""] if isinstance(element.tag, str) else []
    for child in element:
        parts.extend(_texts(child))
        parts.append(child.tail or "")
    return parts


def _local(name: str) -> str:
    return name.rsplit("}", 1)[-1].lower()
