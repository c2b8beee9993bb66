"""Authors' Markdown as safe HTML: rendered by Python-Markdown, then sanitised by nh3.

Lesson text comes from trainers (files and web forms) and reaches every learner, so whatever
the Markdown library lets through (raw HTML is legal Markdown) is cut down to an allow-list
afterwards: no scripts, no event handlers, no ``javascript:`` links, no styles.
"""

from __future__ import annotations

import re

import markdown as markdown_lib
import nh3
from markupsafe import Markup, escape

_EXTENSIONS = ["tables", "fenced_code", "sane_lists", "attr_list", "def_list", "abbr"]

_HEADING = re.compile(r"<(/?)h([1-6])\b", re.I)

_TAGS = {
    *("a", "abbr", "b", "blockquote", "br", "caption", "code", "dd", "del", "details", "div"),
    *("dl", "dt", "em", "figcaption", "figure", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img"),
    *("ins", "kbd", "li", "mark", "ol", "p", "pre", "q", "s", "small", "span", "strong", "sub"),
    *("summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul"),
}
_ATTRIBUTES = {
    "*": {"lang", "dir", "title"},
    "a": {"href"},
    "abbr": {"title"},
    "img": {"src", "alt", "width", "height"},
    "td": {"colspan", "rowspan", "align"},
    "th": {"colspan", "rowspan", "align", "scope"},
    "ol": {"start"},
}
_URL_SCHEMES = {"http", "https", "mailto", "tel"}


def render_markdown(text: str | None) -> Markup:
    """Return ``text`` (Markdown by a trainer) as sanitised HTML, safe to put in a page.

    The page around a lesson has its own ``<h1>``, so the author's headings move one level
    down (``#`` becomes ``<h2>``) and the outline of the page stays correct.
    """
    if not text:
        return Markup("")
    text = _VIDEO_LINE.sub(_video_card, text)
    html = markdown_lib.markdown(text, extensions=_EXTENSIONS, output_format="html")
    html = _HEADING.sub(lambda m: f"<{m[1]}h{min(int(m[2]) + 1, 6)}", html)
    cleaned = nh3.clean(
        html,
        tags=_TAGS,
        attributes=_ATTRIBUTES,
        url_schemes=_URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
        tag_attribute_values=_ATTRIBUTE_VALUES,
    )
    return Markup(cleaned)  # noqa: S704 - nh3's allow-list output is the safe form


# Video links: a YouTube or Vimeo address alone on a line becomes a link card. Nothing is
# loaded from the video site until the learner follows the link (no iframe, no tracking).
_VIDEO_LINE = re.compile(
    r"^[ \t]*<?(?P<url>https?://(?:www\.|m\.)?"
    r"(?:youtube\.com/watch\?v=(?P<yt>[\w-]{6,20})[^\s>]*"
    r"|youtu\.be/(?P<short>[\w-]{6,20})[^\s>]*"
    r"|vimeo\.com/(?P<vimeo>\d{4,12})[^\s>]*))>?[ \t]*$",
    re.M,
)
#: Class values the sanitiser keeps (only those lms_cx itself writes).
_ATTRIBUTE_VALUES = {"p": {"class": {"video-card"}}}


def _video_card(match: re.Match[str]) -> str:
    """Return the HTML block of a video link card for a YouTube or Vimeo address."""
    from lms_cx.i18n import gettext

    if match["vimeo"]:
        site, url = "Vimeo", f"https://vimeo.com/{match['vimeo']}"
    else:
        site, url = "YouTube", f"https://www.youtube.com/watch?v={match['yt'] or match['short']}"
    label = escape(gettext("Watch the video on %(site)s", site=site))
    return f'\n<p class="video-card"><a href="{url}">{label}</a></p>\n'
