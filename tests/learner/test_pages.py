"""The learner's pages through HTTP: home, outline, lessons, quiz, result, certificate."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from flask import Flask
from sqlalchemy.orm import Session

from lms_cx.db import utcnow
from tests import factories
from tests.learner.conftest import finish_module


def text_of(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_home_lists_onboarding_first_then_by_due_date_with_overdue_in_red(
    session: Session, learner, small_course, signed_in
) -> None:
    """Test that the home page orders assignments (onboarding path first, then due date),
    shows a progress bar and due date for each, and marks the overdue one."""
    refresher = factories.learning_module(session, "refresher", lessons=1)
    refresher.lifecycle_stage = "ongoing"
    factories.learning_course(session, "refresh", [refresher], stage="ongoing")
    from lms_cx.models import Course

    ongoing = session.query(Course).filter_by(slug="refresh").one()
    factories.assignment(session, learner, course=ongoing, due_at=utcnow() - timedelta(days=2))
    small_course.assignment.due_at = utcnow() + timedelta(days=10)
    session.commit()
    page = signed_in.get("/cx/learn/").get_data(as_text=True)
    titles = re.findall(r'class="assignment-title"><a href="[^"]+">([^<]+)</a>', page)
    assert titles == ["Course first-week", "Course refresh"]
    overdue = re.findall(r'<li class="assignment overdue">.*?</li>', page, re.S)
    assert len(overdue) == 1 and "Course refresh" in overdue[0] and "Overdue" in overdue[0]
    assert page.count("<progress") >= 3  # the "start here" card and one per assignment
    assert "Start here" in page


def test_dates_are_shown_in_the_learners_time_zone(
    session: Session, learner, small_course, signed_in
) -> None:
    """Test that a due date late in the UTC evening shows as the next day in Tehran."""
    learner.time_zone = "Asia/Tehran"
    small_course.assignment.due_at = datetime(2026, 3, 5, 22, 0, tzinfo=UTC)
    session.commit()
    page = signed_in.get("/cx/learn/").get_data(as_text=True)
    assert "Mar 6, 2026" in page


def test_lesson_player_shows_position_next_previous_and_records_progress(
    session: Session, learner, small_course, signed_in
) -> None:
    """Test that a lesson shows its position, Markdown body, previous/next links, and that
    the outline then shows the module in progress and "continue" leads on."""
    base = f"/cx/learn/{small_course.assignment.id}"
    page = signed_in.get(f"{base}/listening/lessons/lesson-1").get_data(as_text=True)
    assert "Lesson 1 of 2" in page
    assert "<h2>Lesson 1</h2>" in page
    assert f'href="{base}/listening/lessons/lesson-2"' in page
    assert 'rel="prev"' not in page
    page = signed_in.get(f"{base}/listening/lessons/lesson-2").get_data(as_text=True)
    assert "Lesson 2 of 2" in page and 'rel="prev"' in page
    assert f'href="{base}/listening/quiz"' in page
    outline = text_of(signed_in.get(f"{base}/").get_data(as_text=True))
    assert "2 of 2 lessons read" in outline
    assert "Opens once you finish: Module listening." in outline
    assert signed_in.get(f"{base}/continue").headers["Location"] == f"{base}/listening/quiz"


def test_a_locked_module_says_why(session: Session, learner, small_course, signed_in) -> None:
    """Test that opening a locked module sends the learner back with the reason."""
    base = f"/cx/learn/{small_course.assignment.id}"
    response = signed_in.get(f"{base}/empathy/lessons/lesson-1", follow_redirects=True)
    assert "This module opens once you finish: Module listening." in response.get_data(as_text=True)


def test_module_page_shows_persona_cards(
    session: Session, learner, small_course, app: Flask, signed_in
) -> None:
    """Test that a module's page shows the cards of its customer personas."""
    with app.test_request_context("/"):
        finish_module(session, learner, small_course.assignment.id, "listening", 2)
    page = signed_in.get(f"/cx/learn/{small_course.assignment.id}/empathy/").get_data(as_text=True)
    assert 'class="persona-card"' in page and "Henryk" in page and "A goal" in page


def test_quiz_failed_then_passed_through_the_pages(
    session: Session, learner, small_course, signed_in
) -> None:
    """Test that the quiz pages work end to end: start, immediate feedback with explanation,
    submit, a failed result with "try again", a second attempt passed."""
    base = f"/cx/learn/{small_course.assignment.id}"
    for answers, verdict in (
        ({"q1": "b", "q2": "a"}, "You did not pass"),
        ({"q1": "a", "q2": "b"}, "You passed"),
    ):
        start = signed_in.post(f"{base}/listening/quiz")
        attempt_url = start.headers["Location"]
        for position, key in ((1, "listening/q1"), (2, "listening/q2")):
            saved = signed_in.post(
                f"{attempt_url}/answer",
                data={"question": key, "position": position, "answer": answers[key.split("/")[1]]},
            )
            assert saved.headers["Location"].endswith(f"?q={position}")
            feedback = signed_in.get(saved.headers["Location"]).get_data(as_text=True)
            assert f"Because {key.split('/')[1]}." in feedback
        review = signed_in.get(f"{attempt_url}?q=0").get_data(as_text=True)
        key = re.search(r'name="submission_key"[^>]*value="([^"]+)"', review)
        assert key is not None
        result = signed_in.post(
            f"{attempt_url}/submit", data={"submission_key": key[1]}, follow_redirects=True
        )
        page = result.get_data(as_text=True)
        assert verdict in page
    assert "Try again" not in page
    overview = signed_in.get(f"{base}/listening/quiz").get_data(as_text=True)
    assert "You have passed this quiz" in overview
    assert "2 of 3 used" in overview


def test_an_empty_answer_is_explained(session: Session, learner, small_course, signed_in) -> None:
    """Test that sending no choice comes back to the same question with a message."""
    attempt_url = signed_in.post(f"/cx/learn/{small_course.assignment.id}/listening/quiz").headers[
        "Location"
    ]
    response = signed_in.post(
        f"{attempt_url}/answer",
        data={"question": "listening/q2", "position": 2},
        follow_redirects=True,
    )
    page = response.get_data(as_text=True)
    assert "Choose an answer before you continue." in page
    assert "Question 2 of 2" in page


def test_completed_course_shows_score_and_certificate_on_home(
    session: Session, learner, small_course, app: Flask, signed_in
) -> None:
    """Test that a completed course moves to "Completed" with its score and certificate."""
    with app.test_request_context("/"):
        finish_module(session, learner, small_course.assignment.id, "listening", 2)
        finish_module(session, learner, small_course.assignment.id, "empathy", 1)
    page = signed_in.get("/cx/learn/").get_data(as_text=True)
    completed = page.split('id="done-heading"')[1]
    assert "Course first-week" in completed and "100%" in completed
    assert re.search(r'href="/cx/learn/certificates/CX-[A-Z0-9-]+\.pdf"', completed)
    assert "Nothing is assigned to you right now." in page


def test_someone_elses_assignment_is_not_found(
    session: Session, learner, small_course, client
) -> None:
    """Test that another employee gets 404 for my assignment and its pages."""
    other = factories.employee(session, email="someone@example.com")
    session.commit()
    client.post("/cx/account/login", data={"email": other.email, "password": factories.PASSWORD})
    base = f"/cx/learn/{small_course.assignment.id}"
    assert client.get(f"{base}/").status_code == 404
    assert client.get(f"{base}/listening/lessons/lesson-1").status_code == 404
    assert client.post(f"{base}/listening/quiz").status_code == 404


def test_pages_need_a_signed_in_employee(client, small_course) -> None:
    """Test that an anonymous visitor is sent to sign in."""
    response = client.get(f"/cx/learn/{small_course.assignment.id}/")
    assert response.status_code == 302 and "/cx/account/login" in response.headers["Location"]


def test_a_first_heading_repeating_the_title_is_not_shown_twice() -> None:
    """Test that a lesson body starting with "# <its title>" loses that line (the page's
    h1 is the title), and any other first heading stays."""
    from lms_cx.services.lessons import without_title_heading

    assert without_title_heading("# Why  listening matters\n\nText.", "Why listening matters") == (
        "\nText."
    )
    assert without_title_heading("# Something else\n\nText.", "Why") == "# Something else\n\nText."
    assert without_title_heading("", "Why") == ""
