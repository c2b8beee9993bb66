"""GIFT files through `flask lms-cx content check|sync`: into the database, or nothing at all."""

from __future__ import annotations

import shutil
from pathlib import Path

import sqlalchemy as sa

from lms_cx.models import Module, ModuleVersion, Question, QuestionBank, QuestionPool
from tests.content.test_check_broken import database_rows
from tests.content.test_reader import write

FIXTURES = Path(__file__).parent / "fixtures"


def content(runner, *args: str):  # noqa: ANN001, ANN201
    return runner.invoke(args=["lms-cx", "content", *args])


def test_a_gift_file_with_every_supported_type_imports(runner, session) -> None:
    """Test that `content sync` loads customer_service.gift: bank, pools and every type."""
    path = str(FIXTURES / "customer_service.gift")
    result = content(runner, "sync", path)
    assert result.exit_code == 0, result.output
    assert "question: 12 created, 0 updated, 0 removed, 0 unchanged" in result.output
    bank = session.scalar(sa.select(QuestionBank))
    assert (bank.slug, bank.source, bank.default_locale) == ("customer_service", "gift", "en")
    assert bank.title == {"en": "Customer service"}
    pools = dict(session.execute(sa.select(QuestionPool.slug, QuestionPool.draw_count)).all())
    assert pools == {"decide-or-escalate": 6, "catalogue": 4, "communication": 2}
    questions = {
        q.slug: q for q in session.scalars(sa.select(Question).order_by(Question.position))
    }
    assert {q.type for q in questions.values()} == {
        "single_choice",
        "multiple_choice",
        "true_false",
        "numerical",
        "short_answer",
        "matching",
    }
    decisions = questions["agent-decisions"]
    assert [(o["correct"], o["weight"]) for o in decisions.data["options"]] == [
        (True, 0.5),
        (True, 0.5),
        (False, -1),
    ]
    assert questions["goodwill-credit-limit"].explanation["en"].startswith("Agents decide")
    assert questions["goodwill-credit-limit"].data["format"] == "markdown"
    assert questions["install-slot"].data == {"answers": [{"min": 2, "max": 4, "weight": 1}]}
    assert questions["hold-check"].data["feedback_wrong"]["en"].startswith("Check back")
    assert questions["match-the-team"].data["pairs"][2]["match"] == {"en": "Retention"}
    again = content(runner, "sync", path)
    assert again.exit_code == 0 and "Nothing changed." in again.output


def test_a_module_can_take_its_quiz_from_a_gift_bank(runner, session, tmp_path) -> None:
    """Test that a module.yaml naming a GIFT bank as its quiz syncs and publishes."""
    shutil.copy(FIXTURES / "customer_service.gift", tmp_path / "customer_service.gift")
    write(tmp_path, "service/01-basics.en.md", "# Basics\n\nKnow your limits.\n")
    write(
        tmp_path,
        "service/module.yaml",
        """
        id: service-basics
        track: problem_solving
        lifecycle_stage: onboarding
        estimated_minutes: 15
        title: {en: "Service basics"}
        quiz: customer_service
        lessons:
          - id: basics
            title: {en: "Basics"}
            body: {en: 01-basics.en.md}
        """,
    )
    assert content(runner, "check", str(tmp_path)).output == (
        "OK: 0 courses, 1 module, 1 question bank (12 questions), 0 personas.\n"
    )
    result = content(runner, "sync", "--publish", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert "module service-basics: published version 1" in result.output
    module = session.scalar(sa.select(Module))
    version = session.scalar(sa.select(ModuleVersion).where(ModuleVersion.module_id == module.id))
    assert len(version.snapshot["quiz"]["questions"]) == 12


def test_the_file_name_gives_a_gift_bank_its_language(runner, session, tmp_path) -> None:
    """Test that persian.fa.gift loads as bank 'persian' with its texts in Persian."""
    shutil.copy(FIXTURES / "persian.gift", tmp_path / "persian.fa.gift")
    shutil.copy(FIXTURES / "polish.gift", tmp_path / "polish.pl.gift")
    result = content(runner, "sync", str(tmp_path))
    assert result.exit_code == 0, result.output
    banks = {bank.slug: bank for bank in session.scalars(sa.select(QuestionBank))}
    assert banks["persian"].default_locale == "fa" and banks["polish"].default_locale == "pl"
    prompts = [q.prompt for q in session.scalars(sa.select(Question).order_by(Question.id))]
    assert {"fa": "هر درخواست را به تیم مربوط وصل کنید."} in prompts
    assert {"pl": "Jak nazywa się router dołączony do łącza?"} in prompts


def test_gift_errors_are_printed_as_file_line_message_and_nothing_loads(
    runner, session, tmp_path
) -> None:
    """Test that check and sync print each GIFT problem as file:line: message and exit 1."""
    good = tmp_path / "customer_service.gift"
    shutil.copy(FIXTURES / "customer_service.gift", good)
    broken = tmp_path / "three_broken.gift"
    shutil.copy(FIXTURES / "three_broken.gift", broken)
    before = database_rows(session)
    for command in ("check", "sync"):
        result = content(runner, command, str(tmp_path))
        assert result.exit_code == 1
        assert result.output.splitlines() == [
            f'{broken}:2: multiple choice question "Refund limit" has no right answer '
            "(mark one with =, or give the right answers weights like ~%50%)",
            f'{broken}:6: question "Describe the call" is an essay ({{}}): essay questions are '
            "not supported; remove the question or give it answers",
            f'{broken}:8: answer 3 of multiple choice question "Fibre speed" has the weight '
            "%150%; use a number from -100 to 100, like %50%",
            "3 problems; nothing was loaded.",
        ]
    assert database_rows(session) == before
    assert session.scalar(sa.select(sa.func.count()).select_from(Question)) == 0
