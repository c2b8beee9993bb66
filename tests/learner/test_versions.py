"""Version pinning: a learner who started version 1 finishes version 1, whatever is published."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from lms_cx.models import Assignment, Certificate, CourseVersion, Lesson, Question
from lms_cx.services import quiz
from lms_cx.services.enrolment import completed_versions
from lms_cx.services.learning import learner_home
from lms_cx.services.lessons import open_lesson
from lms_cx.services.publishing import publish_course
from tests import factories
from tests.learner.conftest import NOW


def finish(session: Session, learner, assignment_id, module: str, lessons: int, key: str) -> None:
    for number in range(1, lessons + 1):
        open_lesson(session, learner, assignment_id, module, f"lesson-{number}", "en", NOW)
    attempt = quiz.start_attempt(session, learner, assignment_id, module, NOW)
    for item in attempt.drawn["questions"]:
        right = {"q1": "a", "q2": "b"}.get(item["key"].split("/")[1], "a")
        quiz.save_answer(session, learner, attempt.id, item["key"], {"answer": [right]}, NOW)
    quiz.submit_attempt(session, learner, attempt.id, key, NOW)


def publish_version_two(session: Session, small_course) -> None:
    lesson = session.scalar(
        sa.select(Lesson).where(
            Lesson.module_id == small_course.first.id, Lesson.slug == "lesson-1"
        )
    )
    lesson.body = {"en": "# Lesson 1\n\nRewritten for version 2."}
    question = session.scalar(
        sa.select(Question).where(
            Question.slug == "q1", Question.bank_id == small_course.first.question_bank_id
        )
    )
    question.prompt = {"en": "A new question for version 2?"}
    session.flush()
    published = publish_course(session, small_course.course)
    assert published.created and published.version.version == 2


def test_a_started_learner_finishes_the_version_they_started(
    session: Session, learner, small_course, ctx
) -> None:
    """Test that after version 2 is published the learner who started on version 1 keeps
    its lessons and quiz, completes version 1 and is certified for version 1, while a
    learner who starts afterwards gets version 2."""
    assignment_id = small_course.assignment.id
    page = open_lesson(session, learner, assignment_id, "listening", "lesson-1", "en", NOW)
    assert "Text of lesson 1." in page.body

    publish_version_two(session, small_course)

    page = open_lesson(session, learner, assignment_id, "listening", "lesson-1", "en", NOW)
    assert "Text of lesson 1." in page.body and "version 2" not in page.body
    attempt = quiz.start_attempt(session, learner, assignment_id, "listening", NOW)
    from lms_cx.services.quiz_pages import attempt_page

    assert (
        attempt_page(session, learner, attempt.id, "en", NOW).question.prompt
        == "<p>Question q1?</p>"
    )
    quiz.submit_attempt(session, learner, attempt.id, "v1-first", NOW)
    finish(session, learner, assignment_id, "listening", 2, "v1-a")
    finish(session, learner, assignment_id, "empathy", 1, "v1-b")

    session.expire_all()
    assignment = session.get(Assignment, assignment_id)
    assert assignment.state == "completed"
    assert session.get(CourseVersion, assignment.course_version_id).version == 1
    certificate = session.scalar(
        sa.select(Certificate).where(Certificate.assignment_id == assignment_id)
    )
    assert session.get(CourseVersion, certificate.course_version_id).version == 1
    assert learner_home(session, learner, "en", NOW).completed[0].version == 1

    newcomer = factories.employee(session, email="new@example.com", display_name="Newcomer")
    late = factories.assignment(session, newcomer, course=small_course.course)
    session.commit()
    page = open_lesson(session, newcomer, late.id, "listening", "lesson-1", "en", NOW)
    assert "Rewritten for version 2." in page.body
    finish(session, newcomer, late.id, "listening", 2, "v2-a")
    finish(session, newcomer, late.id, "empathy", 1, "v2-b")

    report = completed_versions(session, small_course.course.id)
    assert sorted((employee.display_name, version) for employee, version, _ in report) == [
        ("Newcomer", 2),
        ("Ola Nowak", 1),
    ]


def test_an_assignment_not_started_shows_the_newest_version(
    session: Session, learner, small_course, ctx
) -> None:
    """Test that until the learner starts, the home page offers the newest version."""
    assert learner_home(session, learner, "en", NOW).open[0].version == 1
    publish_version_two(session, small_course)
    assert learner_home(session, learner, "en", NOW).open[0].version == 2
