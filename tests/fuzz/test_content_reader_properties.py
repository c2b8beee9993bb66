"""Properties of the YAML content reader, checked on mutated copies of shipped files (hypothesis).

Whatever a trainer's editor leaves in a file, ``read_content`` returns a complete curriculum or
raises ``ContentProblems``, each problem pinned to a file of the set and a line inside it.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from lms_cx.content.problems import ContentProblems
from lms_cx.content.reader import ContentSet, KnownIds, read_content
from tests.fuzz.conftest import fuzz_settings

ROOT = Path(__file__).resolve().parents[2]
MODULE = ROOT / "courses" / "cx-onboarding" / "comm-empathy"
#: The files a mutation may hit, relative to the copied curriculum.
TARGETS = {
    "module": "comm-empathy/module.yaml",
    "bank": "quizzes/comm-empathy.yaml",
    "persona": "personas/small-business-owner.yaml",
}
KNOWN = KnownIds(tracks=frozenset({"communication", "persona_awareness"}))

#: Fragments that YAML (or the formats on top of it) treat specially.
FRAGMENTS = st.sampled_from(
    [
        ":",
        " ",
        "  ",
        "-",
        "- ",
        "[",
        "]",
        "{",
        "}",
        "{en: }",
        "&a",
        "*a",
        "!!python/object:os.system",
        "!!binary",
        "? [a, b]\n: c",
        "? {a: 1}\n: c",
        "<<: *a",
        "id: dup",
        "null",
        "~",
        "0x1F",
        "1e400",
        "yes",
        "'",
        '"',
        "#",
        "\t",
        "\ufeff",
        "\x00",
        "فارسی",
        "\n",
        "---",
        "...",
        "%YAML 1.1",
    ]
)


@st.composite
def mutations(draw: st.DrawFn) -> tuple[str, list[tuple[str, int, str]]]:
    """Return a target file and edits: (kind, line index, text) to apply to its lines."""
    target = draw(st.sampled_from(sorted(TARGETS)))
    edits = draw(
        st.lists(
            st.tuples(
                st.sampled_from(["delete", "duplicate", "insert", "replace", "append", "indent"]),
                st.integers(0, 400),
                st.lists(FRAGMENTS, min_size=1, max_size=4).map("".join) | st.text(max_size=20),
            ),
            min_size=1,
            max_size=4,
        )
    )
    return target, edits


def mutate(text: str, edits: list[tuple[str, int, str]]) -> str:
    """Return ``text`` with each edit applied to the line it points at (modulo the length)."""
    lines = text.split("\n")
    for kind, position, fragment in edits:
        index = position % len(lines)
        if kind == "delete" and len(lines) > 1:
            del lines[index]
        elif kind == "duplicate":
            lines.insert(index, lines[index])
        elif kind == "insert":
            lines.insert(index, fragment)
        elif kind == "replace":
            lines[index] = fragment
        elif kind == "append":
            lines[index] += fragment
        elif kind == "indent":
            lines[index] = " " * (len(fragment) % 5) + lines[index]
    return "\n".join(lines)


def _curriculum(folder: Path) -> None:
    """Copy a module with its lessons, its bank and the personas it names into ``folder``."""
    shutil.copytree(MODULE, folder / "comm-empathy")
    (folder / "quizzes").mkdir()
    shutil.copy(ROOT / "quizzes" / "comm-empathy.yaml", folder / "quizzes")
    shutil.copytree(ROOT / "courses" / "personas", folder / "personas")


def test_the_unmutated_copy_reads_cleanly(tmp_path: Path) -> None:
    """Test the starting point: the copied curriculum reads without a problem."""
    _curriculum(tmp_path)
    content = read_content([tmp_path], KNOWN)
    assert "comm-empathy" in content.modules and "comm-empathy" in content.banks


@pytest.mark.slow
@fuzz_settings()
@given(mutation=mutations())
@example(mutation=("module", [("insert", 0, "? [a, b]\n: c")]))
@example(mutation=("persona", [("insert", 0, "? {a: 1}\n: c")]))
@example(mutation=("bank", [("replace", 0, "id: &a [*a]")]))
@example(mutation=("module", [("replace", 0, "\x00")]))
def test_any_edit_reads_or_reports_problems_at_real_lines(
    mutation: tuple[str, list[tuple[str, int, str]]],
) -> None:
    """Test that a mutated file gives a curriculum or ContentProblems, never another
    exception, and that every problem names a file of the set and a line inside it."""
    target, edits = mutation
    with tempfile.TemporaryDirectory(prefix="lms_cx-fuzz-") as name:
        folder = Path(name)
        _curriculum(folder)
        path = folder / TARGETS[target]
        path.write_text(mutate(path.read_text(encoding="utf-8"), edits), encoding="utf-8")
        try:
            content = read_content([folder], KNOWN)
        except ContentProblems as error:
            assert error.problems
            for problem in error.problems:
                where = Path(problem.path)
                assert where.is_file() and folder in where.parents, problem
                lines = where.read_text(encoding="utf-8").count("\n") + 1
                assert 1 <= problem.line <= lines, (problem, lines)
                assert problem.message.strip(), problem
            return
        assert isinstance(content, ContentSet)
