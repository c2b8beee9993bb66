"""The examples of docs/authoring.md and docs/gift.md are real files that pass `content check`.

A fenced block with a title (```yaml title="quizzes/x.yaml"```) is a file of the example
curriculum; blocks with the same title are parts of one file, in order. The files are kept in
tests/content/fixtures/docs_examples/; after editing the docs, rewrite them with
``python -m tests.content.test_check_docs_examples``.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from lms_cx.content.gift import parse_gift

ROOT = Path(__file__).resolve().parents[2]
DOCS = [ROOT / "docs" / "authoring.md", ROOT / "docs" / "gift.md"]
FIXTURES = Path(__file__).parent / "fixtures"
EXAMPLES = FIXTURES / "docs_examples"
FILE_BLOCK = re.compile(r'^```\w+ title="([^"]+)"\n(.*?)^```$', re.M | re.S)
GIFT_SNIPPET = re.compile(r"^```gift\n(.*?)^```$", re.M | re.S)


def documented_files() -> dict[str, str]:
    """Return the example files of the docs by path, their parts joined."""
    files: dict[str, str] = {}
    for doc in DOCS:
        for path, body in FILE_BLOCK.findall(doc.read_text("utf-8")):
            files[path] = files.get(path, "") + body
    return files


def console(doc: Path, command: str) -> list[str]:
    """Return the sample output printed under ``$ command`` in ``doc``."""
    text = doc.read_text("utf-8")
    start = text.index(f"$ {command}\n") + len(command) + 3
    return text[start : text.index("```", start)].splitlines()


def invoke(runner, *args: str):  # noqa: ANN001, ANN201
    result = runner.invoke(args=["lms-cx", "content", *args])
    assert result.exit_code == 0, result.output
    return result.output.splitlines()


def test_the_examples_folder_holds_exactly_the_documented_files() -> None:
    """Test that fixtures/docs_examples/ is what the docs show, file for file."""
    on_disk = {
        path.relative_to(EXAMPLES).as_posix(): path.read_text("utf-8")
        for path in EXAMPLES.rglob("*")
        if path.is_file()
    }
    assert on_disk == documented_files()


def test_the_documented_examples_pass_check_with_the_documented_output(runner) -> None:
    """Test that `content check` passes on the examples and prints what the guide shows."""
    paths = [str(EXAMPLES / "courses"), str(EXAMPLES / "quizzes")]
    assert invoke(runner, "check", *paths) == console(
        DOCS[0], "flask lms-cx content check courses quizzes"
    )


def test_sync_publish_and_export_print_what_the_guide_shows(runner, tmp_path) -> None:
    """Test the guide's sample output of `content sync`, `sync --publish`, `publish`, `export`."""
    guide = DOCS[0]
    paths = [str(EXAMPLES / "courses"), str(EXAMPLES / "quizzes")]
    shown = console(guide, "flask lms-cx content sync courses quizzes")
    assert invoke(runner, "sync", *paths) == shown
    shown = console(guide, "flask lms-cx content sync --publish courses quizzes")
    assert shown[0] == "..." and invoke(runner, "sync", "--publish", *paths)[-2:] == shown[1:]
    shown = console(guide, "flask lms-cx content publish cx-returns")
    assert invoke(runner, "publish", "cx-returns") == shown[:1]
    lesson = EXAMPLES / "courses/cx-returns/returns-tour/01-where-returns-go.en.md"
    edited = tmp_path / "returns-tour"
    shutil.copytree(lesson.parent, edited)
    (edited / lesson.name).write_text(lesson.read_text("utf-8") + "\nAn edit.\n", "utf-8")
    invoke(runner, "sync", str(edited))
    assert invoke(runner, "publish", "returns-tour") == shown[-1:]
    written = invoke(runner, "export", "returns-policy", "--to", str(tmp_path / "export"))
    assert [line.replace(str(tmp_path) + "/", "") for line in written] == console(
        guide, "flask lms-cx content export returns-policy --to export"
    )


def test_the_documented_mistakes_are_what_check_prints(runner, monkeypatch) -> None:
    """Test that the docs' samples of problems are check's output on the broken fixtures."""
    monkeypatch.chdir(FIXTURES)
    result = runner.invoke(args=["lms-cx", "content", "check", "broken"])
    assert result.exit_code == 1
    shown = console(DOCS[0], "flask lms-cx content check broken")
    printed = result.output.splitlines()
    assert [line for line in shown if line != "..."] == [line for line in printed if line in shown]
    assert shown[-1] == printed[-1]
    result = runner.invoke(args=["lms-cx", "content", "check", "three_broken.gift"])
    assert result.exit_code == 1
    assert [f"quizzes/{line}" if ":" in line else line for line in result.output.splitlines()] == (
        console(DOCS[1], "flask lms-cx content check quizzes/three_broken.gift")
    )


@pytest.mark.parametrize(
    "snippet", GIFT_SNIPPET.findall(DOCS[1].read_text("utf-8")), ids=lambda text: text[:30]
)
def test_every_gift_snippet_of_the_docs_imports(snippet: str) -> None:
    """Test that each GIFT example shown in docs/gift.md imports without a problem."""
    assert parse_gift(snippet, filename="snippet.gift", bank_id="snippet")["questions"]


def write_examples() -> None:
    """Rewrite fixtures/docs_examples/ from the docs."""
    shutil.rmtree(EXAMPLES, ignore_errors=True)
    for path, body in documented_files().items():
        target = EXAMPLES / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(body, encoding="utf-8")


if __name__ == "__main__":
    write_examples()
