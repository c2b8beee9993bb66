"""Done when: a folder of real-life mistakes, each reported at its file:line, and none loaded."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from lms_cx.db import Base

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).parent / "fixtures"
BROKEN = FIXTURES / "broken"
TRACKS = "communication, persona_awareness, problem_solving, product_knowledge"

#: Every mistake in fixtures/broken/, as (file, line, message), in the order they are printed.
EXPECTED = [
    (
        "onboarding/course.yaml",
        9,
        "modules[0].mastery_score: Input should be less than or equal to 1",
    ),
    (
        "onboarding/course.yaml",
        11,
        "modules[1].move_on: Input should be 'Passed', 'Completed', 'CompletedAndPassed', "
        "'CompletedOrPassed' or 'NotApplicable'",
    ),
    ("onboarding/empathy/module.yaml", 2, f"unknown track 'comunication' (known: {TRACKS})"),
    ("onboarding/empathy/module.yaml", 9, "lesson file '01-empathy.md' does not exist"),
    (
        "onboarding/listening-copy/module.yaml",
        2,
        f"duplicate module id 'comm-listening' "
        f"(also in {BROKEN}/onboarding/listening/module.yaml:1)",
    ),
    ("onboarding/listening/module.yaml", 6, "unknown persona 'patient-pete'"),
    ("quizzes/listening.yaml", 10, "duplicate question id 'li-01' (first at line 4)"),
    ("quizzes/listening.yaml", 25, "questions[2].options[1].score: is required"),
    (
        "quizzes/listening.yaml",
        29,
        "unknown question type 'multiple-choice' (use one of: matching, multiple_choice, "
        "numerical, ordering, scenario, short_answer, single_choice, true_false)",
    ),
    ("quizzes/listening.yaml", 36, "explanation is required: learners see it after answering"),
    (
        "quizzes/returns.gift",
        6,
        'answer 3 of multiple choice question "Refund limit" has the weight %5O%; '
        "use a number from -100 to 100, like %50%",
    ),
    (
        "quizzes/returns.gift",
        11,
        'question "Refund time": this { is never closed with } '
        "(a blank line ends a question, so keep its answers together)",
    ),
    ("quizzes/tone.yaml", 6, "invalid YAML: expected ',' or '}', but got '<scalar>'"),
    (
        "refresher/course.yaml",
        6,
        "modules[0].requires[0]: module 'comm-empathy-basics' requires 'comm-listening', "
        "which must come earlier in this course",
    ),
]


def database_rows(session: Session) -> dict[str, list[Any]]:
    """Return every row of every lms_cx table, in primary-key order."""
    session.expire_all()
    rows = {}
    for table in Base.metadata.sorted_tables:
        query = sa.select(table).order_by(*table.primary_key.columns)
        rows[table.name] = [tuple(row) for row in session.execute(query)]
    return rows


@pytest.fixture
def loaded(runner, session) -> dict[str, list[Any]]:
    """Sync the documentation's examples first, so "unchanged" is tested on a database in use."""
    result = runner.invoke(
        args=["lms-cx", "content", "sync", "--publish", str(FIXTURES / "docs_examples")]
    )
    assert result.exit_code == 0, result.output
    rows = database_rows(session)
    assert rows["lms_cx_module"] and rows["lms_cx_question"] and rows["lms_cx_module_version"]
    return rows


@pytest.mark.parametrize("command", [["check"], ["sync"], ["sync", "--publish"]])
def test_every_mistake_is_listed_at_its_line_and_nothing_changes(
    runner, session, loaded, command: list[str]
) -> None:
    """Test that check and sync list each problem as file:line: message, exit 1, write nothing."""
    result = runner.invoke(args=["lms-cx", "content", *command, str(BROKEN)])
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        *(f"{BROKEN / path}:{line}: {message}" for path, line, message in EXPECTED),
        f"{len(EXPECTED)} problems; nothing was loaded.",
    ]
    assert database_rows(session) == loaded


def test_fixing_the_files_of_one_kind_reveals_the_references_they_hid(tmp_path) -> None:
    """Test that references to a kind with a broken file wait: they might point into it."""
    from lms_cx.content.problems import ContentProblems
    from lms_cx.content.reader import KnownIds, read_content

    known = KnownIds(tracks=frozenset(TRACKS.split(", ")))
    persona = tmp_path / "personas/patient-pat.yaml"
    persona.parent.mkdir()
    persona.write_text("id: patient-pat\nname: {en: Pat}\nsegment: [\n")
    module = tmp_path / "listening/module.yaml"
    module.parent.mkdir()
    module.write_text(
        (BROKEN / "onboarding/listening/module.yaml").read_text().replace("quiz: listening\n", "")
    )
    (module.parent / "01-why-listen.en.md").write_text("# Listen\n")
    with pytest.raises(ContentProblems) as caught:
        read_content([tmp_path], known)
    assert [str(p) for p in caught.value.problems] == [
        f"{persona}:4: invalid YAML: expected the node content, but found '<stream end>'"
    ]
    persona.write_text("id: patient-pat\nname: {en: Pat}\nsegment: {en: Pensioner}\n")
    with pytest.raises(ContentProblems) as caught:
        read_content([tmp_path], known)
    assert [str(p) for p in caught.value.problems] == [
        f"{module}:6: unknown persona 'patient-pete'"
    ]


def test_the_shipped_curriculum_passes_content_check(runner) -> None:
    """Test that `flask lms-cx content check courses quizzes` passes on what ships."""
    result = runner.invoke(
        args=["lms-cx", "content", "check", str(ROOT / "courses"), str(ROOT / "quizzes")]
    )
    assert result.exit_code == 0, result.output
    assert result.output.startswith("OK: 2 courses, 16 modules, 16 question banks (")
    assert result.output.endswith(" personas.\n")
