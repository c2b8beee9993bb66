"""The team readiness report as a whole: what the page, its CSV and its PDF show."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from lms_cx.models.people import Employee
from lms_cx.reports.readiness import EmployeeReadiness, TrackInfo, readiness_rows, tracks
from lms_cx.reports.readiness_query import (
    Page,
    ReadinessQuery,
    filter_rows,
    paginate,
    sort_rows,
)
from lms_cx.reports.readiness_summary import Summary, summarise
from lms_cx.reports.scope import Scope, TeamOption, viewer_scope


@dataclass(frozen=True)
class TeamReadiness:
    """The people a viewer may see, narrowed and ordered as asked, with their summary."""

    scope: Scope
    query: ReadinessQuery
    tracks: list[TrackInfo]
    summary: Summary
    #: Every row the filters let through, in order (the CSV and PDF list them all).
    rows: list[EmployeeReadiness]
    page: Page
    generated_at: datetime

    @property
    def shown_tracks(self) -> list[TrackInfo]:
        """Return the tracks the table shows: the filtered one, else all of them."""
        if self.query.track:
            return [track for track in self.tracks if track.code == self.query.track]
        return self.tracks

    @property
    def team(self) -> TeamOption | None:
        """Return the team the report is narrowed to, if any."""
        return next((t for t in self.scope.teams if t.id == self.query.team), None)


def team_readiness(
    session: Session, viewer: Employee, query: ReadinessQuery, now: datetime
) -> TeamReadiness:
    """Return the readiness of the people ``viewer`` may see, as ``query`` asks.

    Raises ``NotInScope`` when ``query.team`` is not one of the viewer's teams.
    """
    scope = viewer_scope(session, viewer).narrowed_to(query.team)
    track_list = tracks(session)
    codes = [track.code for track in track_list]
    query = query.known(codes)
    everyone = readiness_rows(session, scope, now)
    rows = sort_rows(filter_rows(everyone, query, codes), query)
    return TeamReadiness(
        scope=scope,
        query=query,
        tracks=track_list,
        summary=summarise(session, scope, everyone, codes, now),
        rows=rows,
        page=paginate(rows, query.page),
        generated_at=now,
    )
