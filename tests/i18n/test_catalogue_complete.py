"""The shipped catalogues are complete: every string translated in fa and pl, nothing fuzzy,
every .mo compiled from its .po, and no template text outside gettext."""

from __future__ import annotations

from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import write_po

from lms_cx import catalogues
from lms_cx.catalogues import check_catalogues, extract_messages


def test_the_shipped_catalogues_pass_the_check() -> None:
    """Test that `flask lms-cx i18n check` finds no problem in the shipped catalogues."""
    problems = [str(problem) for problem in check_catalogues()]
    assert problems == [], f"{len(problems)} problems, first: {problems[:20]}"


def write_catalogue(folder: Path, locale: str, *, fuzzy: str | None = None) -> Catalog:
    """Write a ``locale`` catalogue translating every extracted string (one marked fuzzy)."""
    catalog = Catalog(locale=locale, domain=catalogues.DOMAIN)
    for message in extract_messages():
        if not message.id:
            continue
        if isinstance(message.id, str):
            text: str | tuple[str, ...] = f"«{message.id}»"
        else:
            text = tuple(f"«{message.id[-1]}»" for _form in range(catalog.num_plurals))
        flags = {"fuzzy"} if message.id == fuzzy else set()
        catalog.add(message.id, text, flags=flags, context=message.context)
    path = folder / locale / "LC_MESSAGES" / f"{catalogues.DOMAIN}.po"
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as handle:
        write_po(handle, catalog)
    return catalog


def test_a_complete_compiled_catalogue_passes(tmp_path, monkeypatch) -> None:
    """Test that a catalogue translating everything, compiled, has no problem."""
    monkeypatch.setattr(catalogues, "TRANSLATIONS_DIR", tmp_path)
    write_catalogue(tmp_path, "fa")
    catalogues.compile_catalogues(("fa",))
    assert catalogues._check_locale(extract_messages(), "fa") == []


def test_a_fuzzy_translation_fails(tmp_path, monkeypatch) -> None:
    """Test that a translation still marked fuzzy is named as a problem."""
    monkeypatch.setattr(catalogues, "TRANSLATIONS_DIR", tmp_path)
    write_catalogue(tmp_path, "fa", fuzzy="Skip to content")
    catalogues.compile_catalogues(("fa",))
    problems = [str(p) for p in catalogues._check_locale(extract_messages(), "fa")]
    assert len(problems) == 1
    assert problems[0].endswith("fa translation of 'Skip to content' is fuzzy")


def test_an_uncompiled_or_stale_catalogue_fails(tmp_path, monkeypatch) -> None:
    """Test that a missing .mo, and a .mo older than its .po, are both problems."""
    monkeypatch.setattr(catalogues, "TRANSLATIONS_DIR", tmp_path)
    write_catalogue(tmp_path, "pl")
    problems = [str(p) for p in catalogues._check_locale(extract_messages(), "pl")]
    assert len(problems) == 1 and "not compiled" in problems[0]
    catalogues.compile_catalogues(("pl",))
    catalog = write_catalogue(tmp_path, "pl")
    catalog.add("A string the .mo has never seen", "«new»")
    with catalogues.po_path("pl").open("wb") as handle:
        write_po(handle, catalog)
    problems = [str(p) for p in catalogues._check_locale(extract_messages(), "pl")]
    assert len(problems) == 1 and "older than the .po" in problems[0]


def test_an_untranslated_template_literal_is_a_problem(tmp_path) -> None:
    """Test that text written straight into a template is named with its file and line."""
    templates = tmp_path / "templates" / "lms_cx"
    templates.mkdir(parents=True)
    (templates / "page.html").write_text(
        "<h1>{{ _('Team readiness') }}</h1>\n<p>Untranslated words</p>\n", "utf-8"
    )
    problems = [str(p) for p in catalogues.untranslated_literals(tmp_path / "templates")]
    assert problems == ["lms_cx/templates/lms_cx/page.html:2: literal 'Untranslated words'"]
