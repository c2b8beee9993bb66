"""One writer of lifecycle automation at a time: the lock ticks and rule saves take.

Assignments made by rules have no unique key a database could enforce (the same person may
rightly get the same course again a year later), so whoever creates them first takes a lock
for the rest of its transaction and then checks what already exists:

- PostgreSQL: a transaction-level advisory lock, keyed by the current schema so that two
  lms_cx installations in one database never block each other. A tick *tries* it and skips
  its run when another tick holds it; saving a rule waits for it.
- SQLite: a no-op write as the transaction's first write takes the database's single write
  lock (what ``BEGIN IMMEDIATE`` does), so a second writer waits (``busy_timeout``) until the
  first commits and then sees its rows.

The lock ends with the transaction (commit or rollback); nothing is left to clean up.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from lms_cx.models import AssignmentRule

#: Text hashed (with the schema name) into the advisory lock key on PostgreSQL.
LOCK_NAME = "lms_cx.lifecycle"


def take_lifecycle_lock(session: Session, *, wait: bool = True) -> bool:
    """Take the lifecycle lock for the session's transaction; return False if it is taken.

    With ``wait=False`` (a tick) PostgreSQL answers at once; SQLite always waits, up to its
    busy timeout, because its write lock cannot be tried without waiting.
    """
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        function = "pg_advisory_xact_lock" if wait else "pg_try_advisory_xact_lock"
        key = sa.func.hashtext(sa.func.current_schema() + ":" + LOCK_NAME)
        result = session.execute(sa.select(getattr(sa.func, function)(key))).scalar()
        return True if wait else bool(result)
    # Any write statement takes SQLite's write lock; this one changes no row.
    session.execute(
        sa.update(AssignmentRule)
        .where(sa.false())
        .values(name=AssignmentRule.name)
        .execution_options(synchronize_session=False)
    )
    return True
