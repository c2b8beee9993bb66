"""Test data built through lms_cx's own services, so tests exercise the real rules."""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from lms_cx.models import (
    Assignment,
    Course,
    CourseModule,
    FeedbackItem,
    Lesson,
    Module,
    ModulePersona,
    ModulePrerequisite,
    Persona,
    Question,
    QuestionBank,
    QuestionPool,
    RemedialRule,
    Track,
)
from lms_cx.models.people import Employee, Team
from lms_cx.services.people import add_team_manager, create_employee
from lms_cx.services.publishing import publish_course

PASSWORD = "correct horse battery"
_sequence = itertools.count(1)


def team(session: Session, name: str | None = None, parent: Team | None = None) -> Team:
    """Add a team (flushed, not committed)."""
    row = Team(name=name or f"Team {next(_sequence)}", parent=parent)
    session.add(row)
    session.flush()
    return row


def employee(
    session: Session,
    *,
    roles: Iterable[str] = ("learner",),
    team: Team | None = None,
    manages: Iterable[Team] = (),
    email: str | None = None,
    display_name: str | None = None,
    hire_date: date | None = None,
    locale: str | None = None,
) -> Employee:
    """Add an employee with the factories' password (flushed, not committed)."""
    number = next(_sequence)
    row = create_employee(
        session,
        email=email or f"person{number}@example.com",
        display_name=display_name or f"Person {number}",
        roles=roles,
        password=PASSWORD,
        team=team,
        hire_date=hire_date,
        locale=locale,
    )
    session.flush()
    for managed in manages:
        add_team_manager(session, managed, row)
    return row


# --- Learning content and assignments (tests/learner) ---------------------------------------


def _choice_question(slug: str, right: str = "a") -> dict:
    return {
        "slug": slug,
        "type": "single_choice",
        "prompt": {"en": f"Question {slug}?"},
        "explanation": {"en": f"Because {slug}."},
        "data": {
            "options": [
                {
                    "id": option,
                    "text": {"en": f"Option {option}"},
                    "correct": option == right,
                    "feedback": {"en": f"Feedback {option}"},
                }
                for option in ("a", "b", "c")
            ]
        },
    }


def learning_module(
    session: Session,
    slug: str,
    *,
    track: str = "communication",
    lessons: int = 2,
    questions: list[dict] | None = None,
    attempts_limit: int | None = None,
    time_limit_minutes: int | None = None,
    feedback_mode: str = "immediate",
    shuffle: bool = False,
    personas: Iterable[str] = (),
) -> Module:
    """Add a module with ``lessons`` lessons and a quiz (two single-choice questions by default).

    ``questions`` are dicts of ``slug``, ``type``, ``prompt``, ``data`` (as the content files
    give them) and optionally ``explanation``, ``weight``, ``persona``, ``pool``.
    """
    track_row = session.scalar(sa.select(Track).where(Track.code == track))
    module = Module(
        slug=slug,
        track_id=track_row.id,
        lifecycle_stage="onboarding",
        title={"en": f"Module {slug}"},
        description={"en": f"About {slug}."},
        estimated_minutes=10,
        attempts_limit=attempts_limit,
        time_limit_minutes=time_limit_minutes,
        feedback_mode=feedback_mode,
    )
    session.add(module)
    session.flush()
    for number in range(1, lessons + 1):
        session.add(
            Lesson(
                module_id=module.id,
                slug=f"lesson-{number}",
                position=number,
                title={"en": f"Lesson {number} of {slug}"},
                body={"en": f"# Lesson {number}\n\nText of lesson {number}."},
            )
        )
    for position, persona_slug in enumerate(personas):
        persona = session.scalar(sa.select(Persona).where(Persona.slug == persona_slug))
        if persona is None:
            persona = Persona(
                slug=persona_slug,
                name={"en": persona_slug.title()},
                summary={"en": f"{persona_slug} in brief."},
                goals={"en": ["A goal"]},
            )
            session.add(persona)
            session.flush()
        session.add(ModulePersona(module_id=module.id, persona_id=persona.id, position=position))
    if questions is None:
        questions = [_choice_question("q1"), _choice_question("q2", right="b")]
    if questions:
        bank = QuestionBank(
            slug=slug,
            title={"en": f"Quiz of {slug}"},
            shuffle_questions=shuffle,
            shuffle_options=shuffle,
        )
        session.add(bank)
        session.flush()
        pools: dict[str, QuestionPool] = {}
        for position, spec in enumerate(questions):
            pool = None
            if spec.get("pool"):
                pool = pools.get(spec["pool"][0])
                if pool is None:
                    pool = QuestionPool(
                        bank_id=bank.id, slug=spec["pool"][0], draw_count=spec["pool"][1]
                    )
                    session.add(pool)
                    session.flush()
                    pools[spec["pool"][0]] = pool
            persona_id = None
            if spec.get("persona"):
                persona_id = session.scalar(
                    sa.select(Persona.id).where(Persona.slug == spec["persona"])
                )
            session.add(
                Question(
                    bank_id=bank.id,
                    pool_id=pool.id if pool else None,
                    slug=spec["slug"],
                    position=position,
                    type=spec["type"],
                    prompt=spec["prompt"],
                    explanation=spec.get("explanation") or {},
                    data=spec["data"],
                    weight=spec.get("weight", 1.0),
                    persona_id=persona_id,
                )
            )
        module.question_bank_id = bank.id
    session.flush()
    return module


def learning_course(
    session: Session,
    slug: str,
    modules: list[Module],
    *,
    move_on: str = "CompletedAndPassed",
    mastery_score: float | None = 0.8,
    requires: dict[str, list[str]] | None = None,
    certificate_valid_days: int | None = 365,
    stage: str = "onboarding",
) -> Course:
    """Add a course of ``modules`` (in order) and publish it with its modules (commits)."""
    course = Course(
        slug=slug,
        title={"en": f"Course {slug}"},
        description={"en": f"All about {slug}."},
        lifecycle_stage=stage,
        certificate_valid_days=certificate_valid_days,
    )
    session.add(course)
    session.flush()
    by_slug = {module.slug: module for module in modules}
    for position, module in enumerate(modules):
        session.add(
            CourseModule(
                course_id=course.id,
                module_id=module.id,
                position=position,
                move_on=move_on,
                mastery_score=mastery_score,
            )
        )
    for module_slug, needed in (requires or {}).items():
        for other in needed:
            session.add(
                ModulePrerequisite(
                    course_id=course.id,
                    module_id=by_slug[module_slug].id,
                    requires_module_id=by_slug[other].id,
                )
            )
    session.flush()
    publish_course(session, course)
    return course


def assignment(
    session: Session,
    learner: Employee,
    *,
    course: Course | None = None,
    module: Module | None = None,
    due_at: datetime | None = None,
    assigned_at: datetime | None = None,
    source: str = "manual",
) -> Assignment:
    """Assign a course or a module to ``learner`` (flushed, not committed)."""
    row = Assignment(
        employee_id=learner.id,
        course_id=course.id if course else None,
        module_id=module.id if module else None,
        source=source,
        due_at=due_at,
        state="open",
        **({"assigned_at": assigned_at} if assigned_at else {}),
    )
    session.add(row)
    session.flush()
    return row


# --- Lifecycle automation (tests/lifecycle) --------------------------------------------------


def hr_employee(
    session: Session,
    *,
    hire_date: date | None = None,
    job_role: str | None = None,
    team: Team | None = None,
    location: str | None = None,
    time_zone: str | None = None,
    locale: str | None = None,
    attributes: dict | None = None,
    manages: Iterable[Team] = (),
    roles: Iterable[str] = ("learner",),
    display_name: str | None = None,
) -> Employee:
    """Add an employee with the HR fields assignment rules match on (flushed, not committed)."""
    row = employee(
        session,
        roles=roles,
        team=team,
        manages=manages,
        hire_date=hire_date,
        locale=locale,
        display_name=display_name,
    )
    row.job_role = job_role
    row.location = location
    row.time_zone = time_zone
    row.attributes = dict(attributes or {})
    session.flush()
    return row


# --- Customer feedback (tests/feedback) ------------------------------------------------------


def feedback_item(
    session: Session,
    about: Employee,
    *,
    occurred_at: datetime,
    csat: int | None = None,
    nps: int | None = None,
    comment: str | None = None,
    language: str | None = None,
    tags: Iterable[str] = (),
    source: str = "test",
    external_id: str | None = None,
    channel: str | None = "phone",
) -> FeedbackItem:
    """Add a feedback item with its themes mapped by the current rules (flushed, not committed)."""
    from lms_cx.services.feedback_theme_rules import ensure_default_feedback_rules
    from lms_cx.services.feedback_themes import ThemeMapper, set_item_themes

    ensure_default_feedback_rules(session)
    row = FeedbackItem(
        employee_id=about.id,
        occurred_at=occurred_at,
        channel=channel,
        csat=csat,
        nps=nps,
        comment=comment,
        language=language,
        tags=list(tags),
        source=source,
        external_id=external_id or f"test-{next(_sequence)}",
    )
    set_item_themes(row, ThemeMapper.load(session).match(row.tags, comment, language))
    session.add(row)
    session.flush()
    return row


def remedial_rule(
    session: Session,
    track: str,
    *,
    module: Module | None = None,
    course: Course | None = None,
    name: str | None = None,
    min_negative_items: int = 3,
    window_days: int = 30,
    csat_max: int | None = 2,
    nps_max: int | None = None,
    due_in_days: int | None = 14,
    is_active: bool = True,
) -> RemedialRule:
    """Add a remedial rule on ``track`` assigning ``module`` or ``course`` (flushed)."""
    rule = RemedialRule(
        name=name or f"Rule {next(_sequence)}",
        track_id=session.scalar(sa.select(Track.id).where(Track.code == track)),
        module_id=module.id if module else None,
        course_id=course.id if course else None,
        min_negative_items=min_negative_items,
        window_days=window_days,
        csat_max=csat_max,
        nps_max=nps_max,
        due_in_days=due_in_days,
        is_active=is_active,
    )
    session.add(rule)
    session.flush()
    return rule


def track_module(session: Session, slug: str, track: str) -> Module:
    """Add a bare module (no lessons, no quiz) in ``track`` (flushed, not committed)."""
    row = Module(
        slug=slug,
        track_id=session.scalar(sa.select(Track.id).where(Track.code == track)),
        title={"en": f"Module {slug}"},
    )
    session.add(row)
    session.flush()
    return row


# --- Readiness reports (tests/reports) -------------------------------------------------------


def progress(
    session: Session,
    assignment: Assignment,
    module_slug: str,
    *,
    completion: bool | None = None,
    success: bool | None = None,
    score: float | None = None,
    at: datetime | None = None,
):
    """Add the module-level progress row of ``assignment`` as the LRS projection would keep it.

    Needs an app context (the activity IRI comes from the app's config); flushed, not committed.
    """
    from lms_cx.models import Progress
    from lms_cx.services.learning_record import statement_settings
    from lms_cx.xapi.statements import module_activity_id

    learner = session.get(Employee, assignment.employee_id)
    status = "passed" if success else "failed" if success is False else "attempted"
    if completion and success is None:
        status = "completed"
    row = Progress(
        registration=str(assignment.id),
        actor_ifi=f"mbox:mailto:{learner.email}",
        employee_id=learner.id,
        activity_id=module_activity_id(statement_settings().activity_base, module_slug),
        status=status,
        completion=completion,
        success=success,
        best_score_scaled=score,
        last_score_scaled=score,
        attempts=1 if score is not None else 0,
        first_activity_at=at,
        last_activity_at=at,
        completed_at=at if completion else None,
        passed_at=at if success else None,
    )
    session.add(row)
    session.flush()
    return row


def certificate(
    session: Session,
    assignment: Assignment,
    *,
    issued_at: datetime,
    expires_at: datetime | None,
    score: float | None = 0.9,
):
    """Add a certificate for a course assignment's pinned version (flushed, not committed)."""
    from lms_cx.models import Certificate

    row = Certificate(
        employee_id=assignment.employee_id,
        course_id=assignment.course_id,
        course_version_id=assignment.course_version_id,
        assignment_id=assignment.id,
        verification_code=f"CX-TEST-{next(_sequence):04d}-0000",
        issued_at=issued_at,
        expires_at=expires_at,
        score_scaled=score,
    )
    session.add(row)
    session.flush()
    return row
