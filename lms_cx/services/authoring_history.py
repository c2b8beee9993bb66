"""Version histories of modules and courses: who published each version and what changed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from lms_cx.models import (
    Course,
    CourseVersion,
    Module,
    ModuleVersion,
)
from lms_cx.models.people import Employee


@dataclass(frozen=True)
class VersionRow:
    """A published version in a history list."""

    version: int
    published_at: datetime
    published_by: str | None
    change_summary: dict[str, Any]
    snapshot: dict[str, Any]
    previous: dict[str, Any] | None


def _history(
    session: Session, model: type[ModuleVersion] | type[CourseVersion], owner: Any, column: Any
) -> list[VersionRow]:
    rows = session.execute(
        sa.select(model, Employee.display_name)
        .outerjoin(Employee, Employee.id == model.published_by_id)
        .where(column == owner.id)
        .order_by(model.version)
    ).all()
    history: list[VersionRow] = []
    previous = None
    for version, name in rows:
        history.append(
            VersionRow(
                version.version,
                version.published_at,
                name,
                version.change_summary,
                version.snapshot,
                previous,
            )
        )
        previous = version.snapshot
    history.reverse()
    return history


def module_history(session: Session, module: Module) -> list[VersionRow]:
    """Return ``module``'s versions, newest first, with who published them and what changed."""
    return _history(session, ModuleVersion, module, ModuleVersion.module_id)


def course_history(session: Session, course: Course) -> list[VersionRow]:
    """Return ``course``'s versions, newest first, with who published them and what changed."""
    return _history(session, CourseVersion, course, CourseVersion.course_id)


def find_module_version(session: Session, module: Module, number: int) -> ModuleVersion | None:
    """Return version ``number`` of ``module``, if it exists."""
    return session.scalar(
        sa.select(ModuleVersion).where(
            ModuleVersion.module_id == module.id, ModuleVersion.version == number
        )
    )
