"""Reports as CSV: UTF-8 with a byte-order mark, so Excel reads Polish and Persian right.

Headers and statuses are in the reader's language; numbers stay plain numbers (a score of
87 % is ``87``) and dates are ISO 8601 in the reader's time zone, so the sheet sorts and sums.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import date, datetime, tzinfo

from lms_cx.i18n import gettext as _
from lms_cx.i18n import pick_text
from lms_cx.reports.labels import ONBOARDING_LABELS, REFRESH_REASONS, STATUS_LABELS
from lms_cx.reports.organisation import OrganisationReport
from lms_cx.reports.team_readiness import TeamReadiness

BOM = "\ufeff"


#: A text cell starting with one of these is a formula to a spreadsheet (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_cell(value: object) -> object:
    """Return ``value`` as a spreadsheet shows it: text that looks like a formula stays text.

    Names of people and teams come from HR systems; a leading apostrophe keeps
    ``=HYPERLINK(...)`` from running when a manager opens the export.
    """
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _csv(header: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows([spreadsheet_cell(value) for value in row] for row in rows)
    return (BOM + buffer.getvalue()).encode("utf-8")


def _percent(value: float | None) -> str:
    return "" if value is None else str(round(100 * value))


def _day(value: date | datetime | None, zone: tzinfo) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.astimezone(zone).strftime("%Y-%m-%d %H:%M")
    return value.isoformat()


def team_csv(report: TeamReadiness, locale: str, zone: tzinfo) -> bytes:
    """Return every row of the team readiness report (all pages) as CSV."""
    tracks = report.shown_tracks
    header = [_("Name"), _("Email"), _("Team"), _("Hire date"), _("Days since hire")]
    header += [_("Onboarding %"), _("Onboarding"), _("Overdue assignments"), _("Last activity")]
    header += [_("CSAT (90 days)"), _("CSAT responses")]
    for track in tracks:
        title = pick_text(track.title, locale) or track.code
        header += [
            _("%(track)s: status", track=title),
            _("%(track)s: score %%", track=title),
            _("%(track)s: modules satisfied", track=title),
            _("%(track)s: why refresh", track=title),
        ]
    statuses = {key: str(label) for key, label in STATUS_LABELS.items()}
    reasons = {key: str(label) for key, label in REFRESH_REASONS.items()}
    onboarding = {key: str(label) for key, label in ONBOARDING_LABELS.items()}
    rows = []
    for row in report.rows:
        line: list[object] = [
            row.display_name,
            row.email,
            row.team_name or "",
            _day(row.hire_date, zone),
            "" if row.days_since_hire is None else row.days_since_hire,
            "" if row.onboarding_percent is None else row.onboarding_percent,
            onboarding[row.onboarding_state] if row.onboarding_state else "",
            row.overdue_count,
            _day(row.last_activity_at, zone),
            "" if row.csat_average is None else f"{row.csat_average:.2f}",
            row.csat_count,
        ]
        for track in tracks:
            readiness = row.track(track.code)
            line += [
                statuses[readiness.status],
                _percent(readiness.score),
                f"{readiness.satisfied}/{readiness.required}" if readiness.required else "",
                "; ".join(reasons[r] for r in readiness.refresh_reasons),
            ]
        rows.append(line)
    return _csv(header, rows)


def organisation_csv(report: OrganisationReport, locale: str) -> bytes:
    """Return the organisation report, one row per team, as CSV."""
    header = [_("Team"), _("Part of"), _("People"), _("Overdue people")]
    header += [_("Onboarding complete"), _("Onboarding on track"), _("Onboarding late")]
    header += [_("CSAT (90 days)"), _("CSAT responses")]
    for track in report.tracks:
        title = pick_text(track.title, locale) or track.code
        header += [
            _("%(track)s: ready %%", track=title),
            _("%(track)s: ready", track=title),
            _("%(track)s: assigned", track=title),
            _("%(track)s: needs refresh", track=title),
        ]
    rows = []
    for team in [*report.teams, report.total]:
        line: list[object] = [
            _("Whole organisation") if team.is_total else team.name or _("No team"),
            team.parent_name or "",
            team.people,
            team.overdue_people,
            team.onboarding.complete,
            team.onboarding.on_track,
            team.onboarding.late,
            "" if team.csat_average is None else f"{team.csat_average:.2f}",
            team.csat_count,
        ]
        for share in team.tracks:
            percent = share.percent
            line += [
                "" if percent is None else percent,
                share.ready,
                share.assigned,
                share.needs_refresh,
            ]
        rows.append(line)
    return _csv(header, rows)
