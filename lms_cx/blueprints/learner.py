"""The learner's pages: home, assignment outline, lesson player, quizzes, certificates."""

from __future__ import annotations

import uuid
from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import get_locale

from lms_cx.auth import current_employee, login_required
from lms_cx.blueprints.learner_forms import ActionForm, AnswerForm, SubmitAttemptForm
from lms_cx.db import get_session, utcnow
from lms_cx.i18n import gettext as _
from lms_cx.models import Assignment
from lms_cx.models.people import Employee
from lms_cx.services.certificates import certificate_pdf, learner_certificate
from lms_cx.services.enrolment import LearnerError, NotFound
from lms_cx.services.feedback_remedial import remedial_reason
from lms_cx.services.learning import assignment_outline, learner_home
from lms_cx.services.lessons import open_lesson, open_module
from lms_cx.services.module_status import Resume
from lms_cx.services.quiz import AttemptClosed, save_answer, start_attempt, submit_attempt
from lms_cx.services.quiz_pages import attempt_page, attempt_result, quiz_overview
from lms_cx.services.quiz_scoring import AnswerError

learner = Blueprint("learner", __name__)


def _me() -> Employee:
    employee = current_employee()
    assert employee is not None  # login_required
    return employee


def _locale() -> str:
    return str(get_locale())


def _refuse(error: LearnerError, back: str) -> Any:
    """Answer a refused request: 404 for what does not exist, else the reason and a way back."""
    if isinstance(error, NotFound):
        abort(404)
    flash(error.message, "error")
    return redirect(back)


def resume_url(assignment_id: uuid.UUID, resume: Resume | None) -> str:
    """Return the address "continue where I left off" leads to."""
    if resume is None:
        return url_for(".assignment", assignment_id=assignment_id)
    if resume.kind == "attempt":
        return url_for(".attempt", attempt_id=resume.attempt_id)
    if resume.kind == "quiz":
        return url_for(".quiz", assignment_id=assignment_id, module=resume.module_slug)
    if resume.lesson_slug is None:
        return url_for(".module", assignment_id=assignment_id, module=resume.module_slug)
    return url_for(
        ".lesson", assignment_id=assignment_id, module=resume.module_slug, lesson=resume.lesson_slug
    )


@learner.app_template_global("lms_cx_resume_url")
def _resume_url_global(assignment_id: uuid.UUID, resume: Resume | None) -> str:
    return resume_url(assignment_id, resume)


@learner.get("/")
@login_required
def home() -> Any:
    """List my assignments: onboarding first, then by due date; progress, overdue, done."""
    view = learner_home(get_session(), _me(), _locale(), utcnow())
    return render_template("lms_cx/learner/home.html", home=view, now=utcnow())


@learner.get("/<uuid:assignment_id>/")
@login_required
def assignment(assignment_id: uuid.UUID) -> Any:
    """Show an assignment's modules in order, with progress and what locks each."""
    try:
        session = get_session()
        outline = assignment_outline(session, _me(), assignment_id, _locale(), utcnow())
    except LearnerError as error:
        return _refuse(error, url_for(".home"))
    # Remedial training says which customer feedback led to it (outline checked ownership).
    reason = remedial_reason(session, session.get(Assignment, assignment_id), _locale())
    return render_template("lms_cx/learner/assignment.html", outline=outline, reason=reason)


@learner.get("/<uuid:assignment_id>/continue")
@login_required
def resume(assignment_id: uuid.UUID) -> Any:
    """Go to where I left off in an assignment."""
    home_view = learner_home(get_session(), _me(), _locale(), utcnow())
    found = next((a for a in home_view.open if a.id == assignment_id), None)
    return redirect(resume_url(assignment_id, found.resume if found else None))


@learner.get("/<uuid:assignment_id>/<module>/")
@login_required
def module(assignment_id: uuid.UUID, module: str) -> Any:
    """Show a module: what it covers, its lessons, personas and quiz."""
    back = url_for(".assignment", assignment_id=assignment_id)
    try:
        page = open_module(get_session(), _me(), assignment_id, module, _locale(), utcnow())
    except LearnerError as error:
        return _refuse(error, back)
    return render_template("lms_cx/learner/module.html", page=page)


@learner.get("/<uuid:assignment_id>/<module>/lessons/<lesson>")
@login_required
def lesson(assignment_id: uuid.UUID, module: str, lesson: str) -> Any:
    """Show a lesson with previous/next and its position in the module."""
    back = url_for(".assignment", assignment_id=assignment_id)
    try:
        page = open_lesson(get_session(), _me(), assignment_id, module, lesson, _locale(), utcnow())
    except LearnerError as error:
        return _refuse(error, back)
    return render_template("lms_cx/learner/lesson.html", page=page)


@learner.get("/<uuid:assignment_id>/<module>/quiz")
@login_required
def quiz(assignment_id: uuid.UUID, module: str) -> Any:
    """Show a quiz's rules and my attempts, with a button to start or resume."""
    back = url_for(".assignment", assignment_id=assignment_id)
    try:
        overview = quiz_overview(get_session(), _me(), assignment_id, module, _locale(), utcnow())
    except LearnerError as error:
        return _refuse(error, back)
    return render_template("lms_cx/learner/quiz.html", quiz=overview, form=ActionForm())


@learner.post("/<uuid:assignment_id>/<module>/quiz")
@login_required
def start_quiz(assignment_id: uuid.UUID, module: str) -> Any:
    """Start an attempt (or resume the open one)."""
    back = url_for(".quiz", assignment_id=assignment_id, module=module)
    if not ActionForm().validate_on_submit():
        return redirect(back)
    try:
        attempt = start_attempt(get_session(), _me(), assignment_id, module, utcnow())
    except LearnerError as error:
        return _refuse(error, back)
    return redirect(url_for(".attempt", attempt_id=attempt.id))


@learner.get("/attempts/<uuid:attempt_id>")
@login_required
def attempt(attempt_id: uuid.UUID) -> Any:
    """Show a question of my open attempt (``?q=3``), or the page to submit it."""
    position = request.args.get("q", type=int)
    try:
        page = attempt_page(get_session(), _me(), attempt_id, _locale(), utcnow(), position)
    except LearnerError as error:
        return _refuse(error, url_for(".home"))
    if page.status != "in_progress":
        return redirect(url_for(".attempt_result_page", attempt_id=attempt_id))
    return render_template(
        "lms_cx/learner/attempt.html",
        page=page,
        answer_form=AnswerForm(question=page.question.key if page.question else ""),
        submit_form=SubmitAttemptForm(submission_key=uuid.uuid4().hex),
    )


@learner.post("/attempts/<uuid:attempt_id>/answer")
@login_required
def answer(attempt_id: uuid.UUID) -> Any:
    """Save my answer to one question, then show its feedback or the next question."""
    here = url_for(".attempt", attempt_id=attempt_id)
    form = AnswerForm()
    if not form.validate_on_submit():
        return redirect(here)
    try:
        saved = save_answer(
            get_session(),
            _me(),
            attempt_id,
            form.question.data or "",
            request.form.to_dict(flat=False),
            utcnow(),
        )
    except AnswerError as error:
        flash(str(error), "error")
        return redirect(url_for(".attempt", attempt_id=attempt_id, q=form.position.data or None))
    except AttemptClosed as error:
        flash(error.message, "error")
        return redirect(url_for(".attempt_result_page", attempt_id=attempt_id))
    except LearnerError as error:
        return _refuse(error, here)
    if saved.immediate or not saved.complete:
        return redirect(url_for(".attempt", attempt_id=attempt_id, q=saved.position))
    return redirect(here)


@learner.post("/attempts/<uuid:attempt_id>/submit")
@login_required
def submit(attempt_id: uuid.UUID) -> Any:
    """Submit my attempt (once, however often the request arrives) and show the result."""
    form = SubmitAttemptForm()
    if not form.validate_on_submit():
        return redirect(url_for(".attempt", attempt_id=attempt_id))
    try:
        outcome = submit_attempt(
            get_session(), _me(), attempt_id, form.submission_key.data or "", utcnow()
        )
    except LearnerError as error:
        return _refuse(error, url_for(".attempt", attempt_id=attempt_id))
    if not outcome.recorded:
        flash(_("This attempt was already submitted; here is its result."), "info")
    return redirect(url_for(".attempt_result_page", attempt_id=attempt_id))


@learner.get("/attempts/<uuid:attempt_id>/result")
@login_required
def attempt_result_page(attempt_id: uuid.UUID) -> Any:
    """Show my attempt's score, each question's feedback and explanation, and what next."""
    try:
        result = attempt_result(get_session(), _me(), attempt_id, _locale(), utcnow())
    except LearnerError as error:
        return _refuse(error, url_for(".home"))
    if result is None:
        return redirect(url_for(".attempt", attempt_id=attempt_id))
    return render_template("lms_cx/learner/result.html", result=result, form=ActionForm())


@learner.get("/certificates/<code>.pdf")
@login_required
def certificate(code: str) -> Any:
    """Download my certificate as a PDF."""
    try:
        view = learner_certificate(get_session(), _me(), code, _locale(), utcnow())
    except LearnerError as error:
        return _refuse(error, url_for(".home"))
    html = render_template("lms_cx/certificates/certificate.html", certificate=view)
    pdf = certificate_pdf(html)
    return Response(
        pdf,
        mimetype="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="certificate-{view.code}.pdf"'},
    )
