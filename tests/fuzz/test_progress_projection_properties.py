"""Properties of the progress projection, on random statement streams (hypothesis).

The store folds each batch into a blank row and merges it into the stored row in SQL; the
rebuild folds every statement one by one. Whatever the verbs, results, timestamps and batch
boundaries, both must give the very same rows, on SQLite and PostgreSQL.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy.orm import Session

from lms_cx.models.progress import Progress
from lms_cx.models.xapi import Statement, StatementActivity, StatementAgent
from lms_cx.xapi.projection import rebuild_progress
from lms_cx.xapi.store import store_statements
from tests.fuzz.conftest import fuzz_settings
from tests.xapi.conftest import make_statement
from tests.xapi.test_projection import snapshot

REGISTRATION = "5a0f6c1e-3b0d-4c1a-9e53-0c8a1d2f4b61"
VERBS = ["attempted", "initialized", "answered", "completed", "passed", "failed", "experienced"]

RESULTS = st.one_of(
    st.none(),
    st.fixed_dictionaries(
        {},
        optional={
            "completion": st.booleans(),
            "success": st.booleans(),
            "score": st.one_of(
                st.builds(lambda s: {"scaled": s}, st.floats(-1, 1, allow_nan=False)),
                st.builds(lambda r: {"raw": r, "min": 0, "max": 10}, st.integers(0, 10)),
            ),
        },
    ),
)
STATEMENTS = st.builds(
    lambda verb, lesson, learner, minute, second, result: (
        verb,
        lesson,
        learner,
        minute,
        second,
        result,
    ),
    st.sampled_from(VERBS),
    st.sampled_from(["lesson-1", "lesson-2"]),
    st.sampled_from(["a@example.com", "b@example.com"]),
    st.integers(0, 59),
    st.integers(0, 59),
    RESULTS,
)


def _statement(verb: str, lesson: str, learner: str, minute: int, second: int, result: Any):
    return make_statement(
        verb,
        lesson,
        email=learner,
        registration=REGISTRATION if lesson == "lesson-1" else None,
        timestamp=f"2026-02-03T10:{minute:02d}:{second:02d}Z",
        result=result or None,
    )


@fuzz_settings()
@given(
    stream=st.lists(STATEMENTS, min_size=1, max_size=24),
    cuts=st.lists(st.integers(1, 6), min_size=1, max_size=24),
)
def test_batches_project_like_one_by_one(session: Session, stream: list, cuts: list) -> None:
    """Test that storing in any batches gives the rows a statement-by-statement rebuild gives."""
    for table in (Progress, StatementAgent, StatementActivity, Statement):
        session.execute(sa.delete(table))
    session.commit()
    statements = [_statement(*parts) for parts in stream]
    start = 0
    for cut in cuts * len(statements):
        if start >= len(statements):
            break
        store_statements(session, statements[start : start + cut])
        start += cut
    incremental = snapshot(session)
    rebuild_progress(session)
    assert snapshot(session) == incremental
    assert incremental, "every stream projects at least one row"
