"""Reading feedback for pages: the filtered list, one item with its themes, past imports."""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, tzinfo

import sqlalchemy as sa
from sqlalchemy.orm import Session

from lms_cx.i18n import pick_text
from lms_cx.models import (
    Assignment,
    AssignmentFeedbackItem,
    Course,
    FeedbackImport,
    FeedbackItem,
    FeedbackTheme,
    Module,
    Track,
)
from lms_cx.models.people import Employee, Team
from lms_cx.services.feedback_themes import ThemeMatch, ThemeView, explain_matches


@dataclass(frozen=True)
class FeedbackFilters:
    """What the feedback list is narrowed to; None means no narrowing."""

    text: str | None = None
    team_id: int | None = None
    track: str | None = None
    channel: str | None = None
    language: str | None = None
    source: str | None = None
    negative_only: bool = False
    since: date | None = None
    until: date | None = None


@dataclass(frozen=True)
class FeedbackRow:
    """One item in the list."""

    id: int
    occurred_at: datetime
    employee_id: int
    employee_name: str
    team_name: str | None
    channel: str | None
    csat: int | None
    nps: int | None
    ces: int | None
    comment: str | None
    language: str | None
    source: str
    tracks: list[tuple[str, str]] = field(default_factory=list)


@dataclass(frozen=True)
class FeedbackPage:
    """A page of the filtered list."""

    rows: list[FeedbackRow]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        """Return how many pages the filtered list has."""
        return max(1, -(-self.total // self.per_page))


@dataclass(frozen=True)
class FilterOptions:
    """The values the list's filters offer."""

    teams: list[tuple[int, str]]
    tracks: list[tuple[str, str]]
    channels: list[str]
    languages: list[str]
    sources: list[str]


def _start_of(day: date, zone: tzinfo) -> datetime:
    return datetime.combine(day, time(0, 0), tzinfo=zone).astimezone(UTC)


def _filtered(query: sa.Select, filters: FeedbackFilters, zone: tzinfo) -> sa.Select:
    if filters.text:
        # autoescape: a "%" or "_" typed in the search box is a character, not a wildcard.
        text = filters.text.strip().lower()
        query = query.where(
            sa.or_(
                sa.func.lower(Employee.display_name).contains(text, autoescape=True),
                sa.func.lower(Employee.email).contains(text, autoescape=True),
                sa.func.lower(FeedbackItem.comment).contains(text, autoescape=True),
            )
        )
    if filters.team_id is not None:
        query = query.where(Employee.team_id == filters.team_id)
    if filters.track:
        themed = (
            sa.select(FeedbackTheme.feedback_item_id)
            .join(Track, FeedbackTheme.track_id == Track.id)
            .where(Track.code == filters.track)
        )
        query = query.where(FeedbackItem.id.in_(themed))
    for name in ("channel", "language", "source"):
        value = getattr(filters, name)
        if value:
            query = query.where(getattr(FeedbackItem, name) == value)
    if filters.negative_only:
        query = query.where(FeedbackItem.csat <= 2)
    if filters.since:
        query = query.where(FeedbackItem.occurred_at >= _start_of(filters.since, zone))
    if filters.until:
        query = query.where(
            FeedbackItem.occurred_at < _start_of(filters.until + timedelta(days=1), zone)
        )
    return query


def list_feedback(
    session: Session,
    filters: FeedbackFilters,
    *,
    locale: str,
    zone: tzinfo = UTC,
    page: int = 1,
    per_page: int = 50,
    visible_team_ids: list[int] | None = None,
) -> FeedbackPage:
    """Return one page of feedback, newest first; ``visible_team_ids`` limits whose feedback."""
    query = (
        sa.select(FeedbackItem, Employee.display_name, Team.name)
        .join(Employee, Employee.id == FeedbackItem.employee_id)
        .outerjoin(Team, Team.id == Employee.team_id)
    )
    if visible_team_ids is not None:
        query = query.where(Employee.team_id.in_(visible_team_ids))
    query = _filtered(query, filters, zone)
    total = session.scalar(sa.select(sa.func.count()).select_from(query.subquery())) or 0
    page = max(1, page)
    rows = session.execute(
        query.order_by(FeedbackItem.occurred_at.desc(), FeedbackItem.id.desc())
        .limit(per_page)
        .offset((page - 1) * per_page)
    ).all()
    tracks: dict[int, list[tuple[str, str]]] = defaultdict(list)
    if rows:
        for item_id, code, title in session.execute(
            sa.select(FeedbackTheme.feedback_item_id, Track.code, Track.title)
            .join(Track, FeedbackTheme.track_id == Track.id)
            .where(FeedbackTheme.feedback_item_id.in_([row[0].id for row in rows]))
            .order_by(Track.position)
        ):
            tracks[item_id].append((code, pick_text(title, locale) or code))
    return FeedbackPage(
        rows=[
            FeedbackRow(
                item.id,
                item.occurred_at,
                item.employee_id,
                name,
                team_name,
                item.channel,
                item.csat,
                item.nps,
                item.ces,
                item.comment,
                item.language,
                item.source,
                tracks.get(item.id, []),
            )
            for item, name, team_name in rows
        ],
        total=total,
        page=page,
        per_page=per_page,
    )


def feedback_filter_options(
    session: Session, locale: str, visible_team_ids: list[int] | None = None
) -> FilterOptions:
    """Return the teams, tracks, channels, languages and sources the filters offer."""
    teams = sa.select(Team.id, Team.name).order_by(Team.name)
    if visible_team_ids is not None:
        teams = teams.where(Team.id.in_(visible_team_ids))

    def distinct(column: sa.orm.InstrumentedAttribute) -> list[str]:
        return list(
            session.scalars(
                sa.select(column).where(column.is_not(None)).distinct().order_by(column)
            )
        )

    return FilterOptions(
        teams=[(row.id, row.name) for row in session.execute(teams)],
        tracks=[
            (track.code, pick_text(track.title, locale) or track.code)
            for track in session.scalars(sa.select(Track).order_by(Track.position))
        ],
        channels=distinct(FeedbackItem.channel),
        languages=distinct(FeedbackItem.language),
        sources=distinct(FeedbackItem.source),
    )


@dataclass(frozen=True)
class RemedialLink:
    """A remedial assignment an item is evidence for."""

    assignment_id: uuid.UUID
    title: str
    state: str
    assigned_at: datetime
    rule_name: str


@dataclass(frozen=True)
class FeedbackItemDetail:
    """One item with who it is about, where it came from, its themes and what it caused."""

    item: FeedbackItem
    employee_name: str
    employee_email: str
    team_name: str | None
    import_filename: str | None
    imported_at: datetime | None
    themes: list[ThemeView]
    remedial: list[RemedialLink]


def feedback_item_detail(
    session: Session, item_id: int, locale: str, visible_team_ids: list[int] | None = None
) -> FeedbackItemDetail | None:
    """Return one item for its page, or None when it does not exist or is not visible."""
    row = session.execute(
        sa.select(FeedbackItem, Employee, Team.name, FeedbackImport)
        .join(Employee, Employee.id == FeedbackItem.employee_id)
        .outerjoin(Team, Team.id == Employee.team_id)
        .outerjoin(FeedbackImport, FeedbackImport.id == FeedbackItem.import_id)
        .where(FeedbackItem.id == item_id)
    ).first()
    if row is None:
        return None
    item, employee, team_name, feedback_import = row
    if visible_team_ids is not None and employee.team_id not in visible_team_ids:
        return None
    matches = [
        ThemeMatch(track_id, (reason,))
        for track_id, reason in session.execute(
            sa.select(FeedbackTheme.track_id, FeedbackTheme.reason).where(
                FeedbackTheme.feedback_item_id == item.id
            )
        )
    ]
    remedial = [
        RemedialLink(
            assignment.id,
            pick_text((course or module).title, locale, (course or module).default_locale)
            or (course or module).slug,
            assignment.state,
            assignment.assigned_at,
            (assignment.reason_data or {}).get("rule_name", ""),
        )
        for assignment, course, module in session.execute(
            sa.select(Assignment, Course, Module)
            .join(AssignmentFeedbackItem, AssignmentFeedbackItem.assignment_id == Assignment.id)
            .outerjoin(Course, Course.id == Assignment.course_id)
            .outerjoin(Module, Module.id == Assignment.module_id)
            .where(AssignmentFeedbackItem.feedback_item_id == item.id)
            .order_by(Assignment.assigned_at)
        )
    ]
    return FeedbackItemDetail(
        item=item,
        employee_name=employee.display_name,
        employee_email=employee.email,
        team_name=team_name,
        import_filename=feedback_import.filename if feedback_import else None,
        imported_at=feedback_import.imported_at if feedback_import else None,
        themes=explain_matches(session, matches, locale),
        remedial=remedial,
    )


@dataclass(frozen=True)
class ImportView:
    """A past import run."""

    id: int
    filename: str | None
    source: str
    rows_total: int
    created: int
    updated: int
    skipped: int
    imported_at: datetime
    imported_by: str | None


def recent_imports(session: Session, limit: int = 10) -> list[ImportView]:
    """Return the latest import runs, newest first."""
    return [
        ImportView(
            run.id,
            run.filename,
            run.source,
            run.rows_total,
            run.created_count,
            run.updated_count,
            run.skipped_count,
            run.imported_at,
            name,
        )
        for run, name in session.execute(
            sa.select(FeedbackImport, Employee.display_name)
            .outerjoin(Employee, Employee.id == FeedbackImport.imported_by_id)
            .order_by(FeedbackImport.imported_at.desc(), FeedbackImport.id.desc())
            .limit(limit)
        )
    ]
