"""Reading content files: every problem reported as file:line, nothing loaded on any problem."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
import sqlalchemy as sa

from lms_cx.content.problems import ContentProblems
from lms_cx.content.reader import KnownIds, read_content
from lms_cx.models import Module, Persona, Question

ROOT = Path(__file__).resolve().parents[2]
TRACKS = KnownIds(tracks=frozenset({"communication", "problem_solving"}))


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    return path


def good_content(folder: Path) -> Path:
    """A small valid curriculum: a persona, a bank, a module, a course."""
    write(
        folder,
        "personas/caller.yaml",
        """
        id: caller
        name: {en: "Cara Caller"}
        segment: {en: "Everyday customer"}
        """,
    )
    write(
        folder,
        "quizzes/listen.yaml",
        """
        id: listen
        title: {en: "Listening check"}
        pools:
          - id: core
            draw: 2
        questions:
          - id: q1
            pool: core
            type: true_false
            prompt: {en: "Silence is always awkward."}
            answer: false
            explanation: {en: "A pause gives the customer room."}
          - id: q2
            pool: core
            type: scenario
            persona: caller
            prompt: {en: "What now?"}
            situation: {en: "Cara sighs."}
            options:
              - {id: a, text: {en: "Ask"}, score: 1.0, feedback: {en: "Good"}}
              - {id: b, text: {en: "Talk"}, score: 0.2, feedback: {en: "Weak"}}
            explanation: {en: "Ask first."}
        """,
    )
    write(folder, "course-a/listen/01-intro.en.md", "# Listening\n\nListen first.\n")
    write(
        folder,
        "course-a/listen/module.yaml",
        """
        id: listen
        track: communication
        lifecycle_stage: onboarding
        estimated_minutes: 10
        title: {en: "Listening"}
        personas: [caller]
        quiz: listen
        lessons:
          - id: intro
            title: {en: "Intro"}
            body: {en: 01-intro.en.md}
        """,
    )
    write(
        folder,
        "course-a/course.yaml",
        """
        id: course-a
        lifecycle_stage: onboarding
        title: {en: "Course A"}
        modules:
          - module: listen
            mastery_score: 0.8
        """,
    )
    return folder


def test_a_valid_curriculum_reads_completely(tmp_path) -> None:
    """Test that a consistent set of files reads into personas, banks, modules and courses."""
    content = read_content([good_content(tmp_path)], TRACKS)
    assert set(content.personas) == {"caller"}
    assert [q.id for q in content.banks["listen"].questions] == ["q1", "q2"]
    assert content.modules["listen"].bodies == {"intro": {"en": "# Listening\n\nListen first.\n"}}
    assert content.courses["course-a"].file.modules[0].move_on == "CompletedAndPassed"


def test_the_shipped_curriculum_passes_the_check() -> None:
    """Test that courses/ and quizzes/ as shipped have no problem at all."""
    known = KnownIds(
        tracks=frozenset(
            {"communication", "persona_awareness", "problem_solving", "product_knowledge"}
        )
    )
    content = read_content([ROOT / "courses", ROOT / "quizzes"], known)
    tracks = {spec.file.track for spec in content.modules.values()}
    assert len(content.courses) == 2 and len(content.personas) >= 4
    for track in tracks:
        modules = [m for m in content.modules.values() if m.file.track == track]
        assert len(modules) >= 4, track
        for module in modules:
            questions = content.banks[module.file.quiz].questions
            assert len(questions) >= 8 and any(q.type == "scenario" for q in questions)


def problems_of(*paths: Path, known: KnownIds = TRACKS) -> list[str]:
    with pytest.raises(ContentProblems) as caught:
        read_content(paths, known)
    return [str(problem) for problem in caught.value.problems]


def test_bad_yaml_names_the_line(tmp_path) -> None:
    """Test that a YAML syntax error is reported at its line."""
    path = write(tmp_path, "personas/p.yaml", "id: p\nname: {en: 'x'\nsegment: y\n")
    (problem,) = problems_of(path)
    assert problem.startswith(f"{path}:3: invalid YAML")


def test_unknown_persona_duplicate_ids_and_missing_score_are_each_named(tmp_path) -> None:
    """Test that several problems in several files are all reported with file:line."""
    good_content(tmp_path)
    write(
        tmp_path,
        "personas/copy.yaml",
        """
        id: caller
        name: {en: "Copy"}
        segment: {en: "Copy"}
        """,
    )
    module = tmp_path / "course-a/listen/module.yaml"
    module.write_text(module.read_text().replace("[caller]", "[caller, ghost]"))
    bank = tmp_path / "quizzes/listen.yaml"
    bank.write_text(bank.read_text().replace("score: 0.2, ", ""))
    first = tmp_path / "personas/caller.yaml"
    assert problems_of(tmp_path) == [
        f"{tmp_path}/personas/copy.yaml:1: duplicate persona id 'caller' (also in {first}:1)",
        f"{bank}:21: questions[1].options[1].score: is required",
    ]
    # Reference checks wait until every file reads cleanly, so fix the bank and look again.
    bank.write_text(
        bank.read_text().replace('text: {en: "Talk"}, ', 'text: {en: "Talk"}, score: 0.2, ')
    )
    (tmp_path / "personas/copy.yaml").unlink()
    assert problems_of(tmp_path) == [f"{module}:6: unknown persona 'ghost'"]


def test_question_rules_are_checked_per_type(tmp_path) -> None:
    """Test type rules: one right single-choice option, steps that exist, explanations."""
    path = write(
        tmp_path,
        "quizzes/rules.yaml",
        """
        id: rules
        title: {en: "Rules"}
        questions:
          - id: two-right
            type: single_choice
            prompt: {en: "?"}
            options:
              - {id: a, text: {en: "A"}, correct: true}
              - {id: b, text: {en: "B"}, correct: true}
            explanation: {en: "."}
          - id: lost
            type: scenario
            persona: caller
            prompt: {en: "?"}
            situation: {en: "."}
            options:
              - {id: a, text: {en: "A"}, score: 1, feedback: {en: "."}, next: nowhere}
              - {id: b, text: {en: "B"}, score: 0, feedback: {en: "."}}
            explanation: {en: "."}
          - id: mute
            type: true_false
            prompt: {en: "?"}
            answer: true
          - id: odd
            type: essay
            prompt: {en: "?"}
        """,
    )
    assert problems_of(path) == [
        f"{path}:4: exactly one correct option, not 2".replace(
            ":4: ", ":4: questions[0]: a single_choice question needs "
        ),
        f"{path}:11: questions[1]: option 'a' leads to the unknown step 'nowhere'",
        f"{path}:20: explanation is required: learners see it after answering",
        f"{path}:24: unknown question type 'essay' (use one of: matching, multiple_choice, "
        "numerical, ordering, scenario, short_answer, single_choice, true_false)",
    ]


def test_missing_lesson_file_and_unknown_track_and_typo_key(tmp_path) -> None:
    """Test that a missing lesson file, an unknown key and an unknown track are named."""
    good_content(tmp_path)
    (tmp_path / "course-a/listen/01-intro.en.md").unlink()
    module = tmp_path / "course-a/listen/module.yaml"
    module.write_text(module.read_text().replace("estimated_minutes", "estimated_minuts"))
    problems = problems_of(tmp_path)
    assert f"{module}:4: estimated_minuts: is not a known key (check the spelling)" in problems
    assert f"{module}:1: estimated_minutes: is required" in problems
    module.write_text(module.read_text().replace("estimated_minuts", "estimated_minutes"))
    problems = problems_of(tmp_path)
    assert problems == [f"{module}:11: lesson file '01-intro.en.md' does not exist"]
    write(tmp_path, "course-a/listen/01-intro.en.md", "# Back\n")
    module.write_text(module.read_text().replace("track: communication", "track: juggling"))
    assert problems_of(tmp_path) == [
        f"{module}:2: unknown track 'juggling' (known: communication, problem_solving)"
    ]


def test_prerequisites_must_come_earlier_in_the_course(tmp_path) -> None:
    """Test that a course cannot require a module listed after (or not in) it."""
    path = write(
        tmp_path,
        "c/course.yaml",
        """
        id: c
        lifecycle_stage: ongoing
        title: {en: "C"}
        modules:
          - module: one
            requires: [two]
          - module: two
        """,
    )
    (problem,) = problems_of(path)
    assert "module 'one' requires 'two', which must come earlier in this course" in problem


def test_stray_files_and_missing_paths_are_reported(tmp_path) -> None:
    """Test that an unrecognised file and a path that does not exist are problems, not ignored."""
    stray = write(tmp_path, "notes.yaml", "hello: world\n")
    assert problems_of(tmp_path, tmp_path / "nope") == [
        f"{tmp_path}/nope:0: no such file or folder",
        f"{stray}:1: not a content file: expected course.yaml, module.yaml, personas/*.yaml, "
        "quizzes/*.yaml or a .gift file",
    ]


def test_check_command_lists_problems_and_loads_nothing(app, session, runner, tmp_path) -> None:
    """Test that `content check`/`sync` print file:line problems, exit 1 and write nothing."""
    good_content(tmp_path)
    write(tmp_path, "personas/broken.yaml", "id: broken\nname: [\n")
    for command in ("check", "sync"):
        result = runner.invoke(args=["lms-cx", "content", command, str(tmp_path)])
        assert result.exit_code == 1
        assert f"{tmp_path}/personas/broken.yaml:3: invalid YAML" in result.output
        assert "1 problem; nothing was loaded." in result.output
    assert session.scalar(sa.select(sa.func.count(Persona.id))) == 0
    assert session.scalar(sa.select(sa.func.count(Module.id))) == 0
    assert session.scalar(sa.select(sa.func.count(Question.id))) == 0
