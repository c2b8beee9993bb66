"""Correcting a learner's record: list the statements of their assignments and void one.

Voiding is the xAPI way to withdraw a statement recorded in error (part two, 2.3.2): the
statement stays in the ledger, marked voided, and the progress projection forgets it.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from lms_cx.i18n import gettext as _
from lms_cx.models import Assignment, Statement
from lms_cx.models.people import Employee
from lms_cx.services.enrolment import LearnerError, NotFound
from lms_cx.services.learning_record import event, learner_part, record_events
from lms_cx.xapi.statements import statement_id


@dataclass(frozen=True)
class RecordedStatement:
    """One of a learner's statements as the learning record page lists it."""

    statement_id: uuid.UUID
    verb: str
    activity_id: str
    activity_name: dict[str, str]
    registration: uuid.UUID | None
    timestamp: datetime
    score_scaled: float | None
    voided: bool
    #: True for a statement that voids another (it cannot be voided itself).
    voiding: bool


def learner_statements(
    session: Session, learner: Employee, limit: int = 200
) -> list[RecordedStatement]:
    """Return the newest statements of the learner's assignments (ours and external ones)."""
    registrations = sa.select(Assignment.id).where(Assignment.employee_id == learner.id)
    rows = session.scalars(
        sa.select(Statement)
        .where(Statement.registration.in_(registrations))
        .order_by(Statement.seq.desc())
        .limit(limit)
    )
    return [_recorded(row) for row in rows]


def _recorded(row: Statement) -> RecordedStatement:
    raw = row.raw
    score = ((raw.get("result") or {}).get("score") or {}).get("scaled")
    return RecordedStatement(
        statement_id=row.statement_id,
        verb=row.verb_id.rsplit("/", 1)[-1],
        activity_id=row.object_id,
        activity_name=((raw["object"].get("definition") or {}).get("name") or {}),
        registration=row.registration,
        timestamp=row.timestamp,
        score_scaled=score,
        voided=row.voided,
        voiding=row.voids_statement_id is not None,
    )


def learner_statement(session: Session, learner: Employee, target: uuid.UUID) -> RecordedStatement:
    """Return one statement of the learner's assignments; ``NotFound`` for any other."""
    return _recorded(_learner_statement_row(session, learner, target))


def _learner_statement_row(session: Session, learner: Employee, target: uuid.UUID) -> Statement:
    row = session.scalar(
        sa.select(Statement)
        .join(Assignment, Assignment.id == Statement.registration)
        .where(Statement.statement_id == target, Assignment.employee_id == learner.id)
        # The store marks statements voided in bulk; never trust a copy loaded before.
        .execution_options(populate_existing=True)
    )
    if row is None:
        raise NotFound(_("There is no such statement in this learner's record."))
    return row


def void_statement(
    session: Session, learner: Employee, target: uuid.UUID, now: datetime
) -> uuid.UUID:
    """Void a statement of the learner's record that was recorded in error; commit.

    The voiding statement (verb ``voided``) goes through the store like any other, so the
    voided statement's progress row is recomputed from what remains in the same transaction.
    An assignment already completed stays completed: voiding corrects the record, it does not
    take a certificate back. Return the voiding statement's id.
    """
    row = _learner_statement_row(session, learner, target)
    if row.voids_statement_id is not None:
        raise LearnerError(_("This statement voids another one; it cannot be voided itself."))
    if row.voided:
        raise LearnerError(_("This statement is voided already."))
    voiding = event(
        "statement.voided",
        str(target),
        now,
        learner=learner_part(session, learner),
        registration=str(row.registration) if row.registration else None,
        voided_statement=str(target),
    )
    try:
        record_events(session, [voiding])
        session.commit()
    except BaseException:
        session.rollback()
        raise
    return statement_id(voiding)
