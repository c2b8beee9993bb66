"""The command line speaks the shell's language (LC_ALL, LC_MESSAGES, LANG) when it is offered."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask.testing import FlaskCliRunner

FIXTURES = Path(__file__).resolve().parents[1] / "content" / "fixtures"
BROKEN = FIXTURES / "broken"
EXAMPLES = FIXTURES / "docs_examples"
#: Every shell locale variable, cleared first so that the test's own shell does not decide.
SHELL_VARIABLES = {"LC_ALL": "", "LC_MESSAGES": "", "LANG": ""}


def check(runner: FlaskCliRunner, path: Path, **shell: str) -> tuple[int, list[str]]:
    """Run `content check` on ``path`` in a shell whose locale variables are ``shell``."""
    result = runner.invoke(
        args=["lms-cx", "content", "check", str(path)], env={**SHELL_VARIABLES, **shell}
    )
    return result.exit_code, result.output.splitlines()


def test_a_polish_shell_gets_the_problems_in_polish_at_the_same_file_and_line(runner) -> None:
    """Test that LANG=pl_PL.UTF-8 prints each problem in Polish after the same file:line:, and
    the count with the Polish plural for 14 (problemów)."""
    code, english = check(runner, BROKEN, LANG="C.UTF-8")
    code_pl, polish = check(runner, BROKEN, LANG="pl_PL.UTF-8")
    assert code == code_pl == 1
    assert len(polish) == len(english)
    quiz = f"{BROKEN}/quizzes/listening.yaml:29: "
    assert f"{quiz}unknown question type 'multiple-choice' (use one of: " in english[8]
    assert polish[8].startswith(f"{quiz}nieznany typ pytania 'multiple-choice' (użyj jednego z: ")
    module = f"{BROKEN}/onboarding/empathy/module.yaml:9: "
    assert english[3] == f"{module}lesson file '01-empathy.md' does not exist"
    assert polish[3] == f"{module}plik lekcji '01-empathy.md' nie istnieje"
    course = f"{BROKEN}/onboarding/course.yaml:"
    assert (
        polish[0] == f"{course}9: modules[0].mastery_score: wartość musi być mniejsza lub równa 1"
    )
    assert polish[1] == (
        f"{course}11: modules[1].move_on: wartość musi być jedną z: 'Passed', 'Completed', "
        "'CompletedAndPassed', 'CompletedOrPassed' lub 'NotApplicable'"
    )
    gift = f"{BROKEN}/quizzes/returns.gift:6: "
    assert polish[10] == (
        f'{gift}odpowiedź 3 w pytaniu wielokrotnego wyboru "Refund limit" ma wagę %5O%; '
        "użyj liczby od -100 do 100, np. %50%"
    )
    # Every problem keeps its place: only the words after file:line: change.
    for line_en, line_pl in zip(english[:-1], polish[:-1], strict=True):
        assert line_en.split(": ", 1)[0] == line_pl.split(": ", 1)[0]
    assert english[-1] == "14 problems; nothing was loaded."
    assert polish[-1] == "14 problemów; niczego nie wczytano."


def test_a_persian_shell_gets_persian_words_and_digits(runner) -> None:
    """Test that LANG=fa_IR.UTF-8 prints the problems in Persian, counts in Persian digits."""
    code, persian = check(runner, BROKEN, LANG="fa_IR.UTF-8")
    assert code == 1
    assert persian[3] == (
        f"{BROKEN}/onboarding/empathy/module.yaml:9: پروندۀ درس '01-empathy.md' وجود ندارد"
    )
    assert persian[-1] == "۱۴ مشکل؛ هیچ چیز بارگذاری نشد."


def test_the_summary_of_good_files_uses_polish_plural_forms(runner) -> None:
    """Test that the OK line declines each count as Polish needs (1 kurs, 3 moduły, 19 pytań)."""
    code, output = check(runner, EXAMPLES, LANG="pl_PL.UTF-8")
    assert code == 0
    assert output == ["OK: 1 kurs, 3 moduły, 3 banki pytań (19 pytań), 2 persony."]


@pytest.mark.parametrize(
    ("shell", "first_word"),
    [
        ({"LC_ALL": "pl_PL.UTF-8", "LANG": "fa_IR.UTF-8"}, "OK: 1 kurs,"),
        ({"LC_MESSAGES": "fa_IR.UTF-8", "LANG": "pl_PL.UTF-8"}, "درست است: ۱ دوره،"),
        # LC_ALL=C decides alone, as for every other program: the default (English) applies.
        ({"LC_ALL": "C", "LANG": "pl_PL.UTF-8"}, "OK: 1 course,"),
        # A language the site does not offer falls back to the organisation default.
        ({"LANG": "de_DE.UTF-8"}, "OK: 1 course,"),
        ({"LANG": "pl"}, "OK: 1 kurs,"),
    ],
)
def test_lc_all_then_lc_messages_then_lang_decide(
    runner, shell: dict[str, str], first_word: str
) -> None:
    """Test the order of the shell's variables, and that only an offered language is taken."""
    code, output = check(runner, EXAMPLES, **shell)
    assert code == 0
    assert output[0].startswith(first_word), output


def test_the_shell_locale_does_not_reach_web_pages(client, monkeypatch) -> None:
    """Test that a server started from a Polish shell still serves pages in the browser's (or
    the default) language: the shell's locale is for the command line only."""
    monkeypatch.setenv("LANG", "pl_PL.UTF-8")
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    page = client.get("/cx/account/login", headers={"Accept-Language": "en"})
    assert '<html lang="en"' in page.get_data(as_text=True)


def test_sync_and_publish_report_in_polish(runner) -> None:
    """Test that `content sync --publish` counts each kind, and reports publishing, in Polish;
    the kind keyword and the slug stay as typed, for scripts."""
    result = runner.invoke(
        args=["lms-cx", "content", "sync", "--publish", str(EXAMPLES)],
        env={**SHELL_VARIABLES, "LANG": "pl_PL.UTF-8"},
    )
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert "kursy: utworzono 1, zaktualizowano 0, usunięto 0, bez zmian 0" in lines
    assert "Wersje robocze zaktualizowano." in lines
    assert any(line.startswith("course ") and ": opublikowano wersję 1" in line for line in lines)
    again = runner.invoke(
        args=["lms-cx", "content", "sync", str(EXAMPLES)],
        env={**SHELL_VARIABLES, "LANG": "pl_PL.UTF-8"},
    )
    assert again.output.splitlines()[-1] == "Nic się nie zmieniło."
