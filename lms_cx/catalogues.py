"""lms_cx's message catalogues: extract strings, update the .po files, compile, and check.

English is the source language; ``fa`` and ``pl`` are translated in
``lms_cx/translations/<locale>/LC_MESSAGES/lms_cx.po`` and compiled next to them as ``.mo``
(committed, so an installed wheel needs no build step). ``flask lms-cx i18n check`` fails
when a catalogue misses a string, holds a fuzzy one, is not compiled, or when a template
carries text that does not pass through gettext.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po, write_po

PACKAGE_DIR = Path(__file__).resolve().parent
TRANSLATIONS_DIR = PACKAGE_DIR / "translations"
DOMAIN = "lms_cx"
#: The locales translated from English.
TRANSLATED_LOCALES = ("fa", "pl")

KEYWORDS = {
    "_": None,
    "gettext": None,
    "_l": None,
    "lazy_gettext": None,
    "ngettext": (1, 2),
    "lazy_ngettext": (1, 2),
}
METHOD_MAP = [
    ("templates/**.html", "jinja2"),
    ("templates/**.txt", "jinja2"),
    ("**.py", "python"),
]
#: Attributes whose values people read (or hear, through a screen reader).
_READABLE_ATTRIBUTES = re.compile(
    r'\b(?:alt|title|aria-label|placeholder|aria-description)="([^"{]*[^\W\d_][^"{]*)"'
)
_TAG = re.compile(r"<[^>]*>", re.S)
#: Jinja constructs, and blocks that carry identifiers for templates (``{% block section %}``),
#: which no one reads.
_JINJA = re.compile(
    r"\{%-?\s*block\s+section\s*-?%\}.*?\{%-?\s*endblock[^%]*%\}"
    r"|\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}",
    re.S,
)
_NON_TEXT_BLOCK = re.compile(r"<(script|style)\b.*?</\1>", re.S | re.I)
_LETTER = re.compile(r"[^\W\d_]")


@dataclass(frozen=True)
class CatalogueProblem:
    """Something that keeps the catalogues from being complete, named by file and line."""

    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


def po_path(locale: str) -> Path:
    """Return the ``.po`` file of ``locale``."""
    return TRANSLATIONS_DIR / locale / "LC_MESSAGES" / f"{DOMAIN}.po"


def extract_messages() -> Catalog:
    """Return every translatable string of the package, with where each is used."""
    catalog = Catalog(project="lms_cx", domain=DOMAIN, charset="utf-8", fuzzy=False)
    found = extract_from_dir(
        str(PACKAGE_DIR),
        method_map=METHOD_MAP,
        keywords=KEYWORDS,
        comment_tags=("Translators:",),
        strip_comment_tags=True,
    )
    for filename, lineno, message, comments, context in found:
        catalog.add(
            message,
            None,
            [(f"lms_cx/{filename}", lineno)],
            auto_comments=comments,
            context=context,
        )
    return catalog


def update_catalogues(locales: tuple[str, ...] = TRANSLATED_LOCALES) -> list[Path]:
    """Bring each locale's ``.po`` up to the package's strings, keeping existing translations."""
    template = extract_messages()
    written = []
    for locale in locales:
        path = po_path(locale)
        if path.exists():
            with path.open("rb") as handle:
                catalog = read_po(handle, locale=locale, domain=DOMAIN)
        else:
            catalog = Catalog(locale=locale, domain=DOMAIN, project="lms_cx", fuzzy=False)
        catalog.update(template, no_fuzzy_matching=True)
        catalog.revision_date = datetime.now(UTC)
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as handle:
            write_po(handle, catalog, width=100, omit_header=False, ignore_obsolete=True)
        written.append(path)
    return written


def compile_catalogues(locales: tuple[str, ...] = TRANSLATED_LOCALES) -> list[Path]:
    """Compile each locale's ``.po`` into the ``.mo`` that Flask-Babel reads."""
    written = []
    for locale in locales:
        path = po_path(locale)
        with path.open("rb") as handle:
            catalog = read_po(handle, locale=locale, domain=DOMAIN)
        with path.with_suffix(".mo").open("wb") as handle:
            write_mo(handle, catalog, use_fuzzy=False)
        written.append(path.with_suffix(".mo"))
    return written


def check_catalogues(locales: tuple[str, ...] = TRANSLATED_LOCALES) -> list[CatalogueProblem]:
    """Return every missing, fuzzy or uncompiled translation and every untranslated literal."""
    problems = untranslated_literals(PACKAGE_DIR / "templates")
    template = extract_messages()
    for locale in locales:
        problems.extend(_check_locale(template, locale))
    return problems


def _check_locale(template: Catalog, locale: str) -> list[CatalogueProblem]:
    path = po_path(locale)
    if not path.exists():
        return [CatalogueProblem(str(path), "missing; run flask lms-cx i18n update")]
    with path.open("rb") as handle:
        catalog = read_po(handle, locale=locale, domain=DOMAIN)
    problems = []
    for message in template:
        if not message.id:
            continue
        where = "{}:{}".format(*message.locations[0]) if message.locations else str(path)
        translated = catalog.get(message.id, context=message.context)
        label = message.id if isinstance(message.id, str) else message.id[0]
        if translated is None or not _complete(translated.string):
            problems.append(CatalogueProblem(where, f"no {locale} translation for {label!r}"))
        elif translated.fuzzy:
            problems.append(CatalogueProblem(where, f"{locale} translation of {label!r} is fuzzy"))
    mo = path.with_suffix(".mo")
    if not mo.exists():
        problems.append(CatalogueProblem(str(mo), "not compiled; run flask lms-cx i18n compile"))
    else:
        with mo.open("rb") as handle:
            compiled = read_mo(handle)
        stale = [m.id for m in catalog if m.id and not m.fuzzy and _complete(m.string)]
        if any(compiled.get(msgid) is None for msgid in stale):
            problems.append(CatalogueProblem(str(mo), "older than the .po; run i18n compile"))
    return problems


def _complete(translation: str | tuple[str, ...] | None) -> bool:
    if isinstance(translation, tuple | list):
        return bool(translation) and all(translation)
    return bool(translation)


def untranslated_literals(templates_dir: Path) -> list[CatalogueProblem]:
    """Return each run of text in a template that people read but gettext never sees.

    Only the template's own text counts (Jinja's ``{{ }}``, ``{% %}`` and ``{# #}`` are set
    aside first): the text between tags, and readable attributes (alt, title, aria-label,
    placeholder). Symbols, digits and entities alone are not text.
    """
    problems = []
    for path in sorted(templates_dir.rglob("*.html")):
        relative = f"lms_cx/templates/{path.relative_to(templates_dir)}"
        skeleton = _JINJA.sub(_placeholder, path.read_text("utf-8"))
        skeleton = _NON_TEXT_BLOCK.sub(_placeholder, skeleton)
        for match in _READABLE_ATTRIBUTES.finditer(skeleton):
            line = 1 + skeleton.count("\n", 0, match.start())
            problems.append(CatalogueProblem(f"{relative}:{line}", f"literal {match[1]!r}"))
        text = _TAG.sub(_placeholder, skeleton)
        for number, piece in enumerate(text.split("\n"), start=1):
            words = html.unescape(piece.replace("\x00", " ")).strip()
            if _LETTER.search(words):
                problems.append(CatalogueProblem(f"{relative}:{number}", f"literal {words!r}"))
    return problems


def _placeholder(match: re.Match[str]) -> str:
    """Stand in for a construct that is not text, keeping its line breaks (for line numbers)."""
    return "\n".join("\x00" for _line in match.group().split("\n"))
