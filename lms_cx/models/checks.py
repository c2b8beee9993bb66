"""Helpers that spell the SQL of check constraints shared by the model modules."""

from __future__ import annotations

import sqlalchemy as sa


def one_of(column: str, values: tuple[str, ...], name: str) -> sa.CheckConstraint:
    """Return a check constraint that ``column`` holds one of ``values``.

    The allowed values live in Python tuples next to the models, so services, forms and the
    database agree on one list.
    """
    allowed = ", ".join(f"'{value}'" for value in values)
    return sa.CheckConstraint(f"{column} IN ({allowed})", name=name)


def between(column: str, low: int, high: int, name: str) -> sa.CheckConstraint:
    """Return a check constraint that ``column`` is NULL or lies within ``low``..``high``."""
    return sa.CheckConstraint(f"{column} IS NULL OR {column} BETWEEN {low} AND {high}", name=name)


def course_or_module(name: str = "course_or_module") -> sa.CheckConstraint:
    """Return a check constraint that a row targets a course, a module, or both."""
    return sa.CheckConstraint("course_id IS NOT NULL OR module_id IS NOT NULL", name=name)
