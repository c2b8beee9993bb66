"""The catalogue check finds untranslated template text and missing translations."""

from __future__ import annotations

from babel.messages.catalog import Catalog
from babel.messages.pofile import write_po

from lms_cx import catalogues
from lms_cx.catalogues import extract_messages, untranslated_literals


def test_template_literals_are_found_with_their_line(tmp_path) -> None:
    """Test that text and readable attributes outside gettext are named by file and line."""
    folder = tmp_path / "lms_cx"
    folder.mkdir()
    (folder / "page.html").write_text(
        '{% extends "lms_cx/master.html" %}\n'
        "<h1>{{ _('Team readiness') }}</h1>\n"
        '<a href="{{ url_for(\'x\') }}" class="button">Download PDF</a>\n'
        '<img src="chart.svg" alt="Readiness chart">\n'
        "<p>{{ count }} · {{ _('people') }} — 42%</p>\n"
        "<script>const label = 'not text for people';</script>\n"
        "{# a comment for authors #}\n",
        "utf-8",
    )
    found = [str(problem) for problem in untranslated_literals(tmp_path)]
    assert found == [
        "lms_cx/templates/lms_cx/page.html:4: literal 'Readiness chart'",
        "lms_cx/templates/lms_cx/page.html:3: literal 'Download PDF'",
    ]


def test_shipped_templates_have_no_literal_text() -> None:
    """Test that every text in lms_cx's templates passes through gettext."""
    assert [str(p) for p in untranslated_literals(catalogues.PACKAGE_DIR / "templates")] == []


def test_extraction_finds_python_and_template_strings() -> None:
    """Test that strings from views (Python) and from templates are both extracted."""
    catalog = extract_messages()
    assert catalog.get("The email or password is not right.") is not None
    assert catalog.get("Skip to content") is not None
    plural = catalog.get(
        (
            "Too many failed sign-ins. Try again in %(num)d minute.",
            "Too many failed sign-ins. Try again in %(num)d minutes.",
        )
    )
    assert plural is not None


def test_missing_translation_is_named_with_where_it_is_used(tmp_path, monkeypatch) -> None:
    """Test that a catalogue lacking one string fails the check, naming string and source."""
    monkeypatch.setattr(catalogues, "TRANSLATIONS_DIR", tmp_path)
    template = extract_messages()
    catalog = Catalog(locale="pl", domain="lms_cx")
    for message in template:
        if message.id and message.id != "Skip to content":
            text = message.id if isinstance(message.id, str) else message.id
            catalog.add(message.id, text if isinstance(text, str) else (text[0], text[1], text[1]))
    path = catalogues.po_path("pl")
    path.parent.mkdir(parents=True)
    with path.open("wb") as handle:
        write_po(handle, catalog)
    catalogues.compile_catalogues(("pl",))
    problems = [str(p) for p in catalogues._check_locale(template, "pl")]
    base = (catalogues.PACKAGE_DIR / "templates/lms_cx/base.html").read_text("utf-8")
    line = 1 + base[: base.index('_("Skip to content")')].count("\n")
    assert problems == [
        f"lms_cx/templates/lms_cx/base.html:{line}: no pl translation for 'Skip to content'"
    ]
