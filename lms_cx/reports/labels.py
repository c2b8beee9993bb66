"""What reports call things, in the reader's language: statuses, reasons, sources, states."""

from __future__ import annotations

from lms_cx.i18n import lazy_gettext as _l

#: A track status as people read it (``docs/readiness.md`` defines each).
STATUS_LABELS = {
    "needs_refresh": _l("Needs refresh"),
    "not_started": _l("Not started"),
    "in_progress": _l("In progress"),
    "ready": _l("Ready"),
    "not_assigned": _l("Not assigned"),
}

#: Why a track needs a refresh.
REFRESH_REASONS = {
    "remedial": _l("remedial training is open"),
    "expired": _l("a certificate has expired"),
}

#: Where an employee stands in onboarding.
ONBOARDING_LABELS = {
    "complete": _l("Complete"),
    "on_track": _l("On track"),
    "late": _l("Late"),
}

#: Why an assignment exists (``Assignment.source``).
SOURCE_LABELS = {
    "manual": _l("Assigned by hand"),
    "rule": _l("Assignment rule"),
    "remedial": _l("Remedial (customer feedback)"),
    "self": _l("Self-enrolled"),
    "onboarding": _l("Onboarding"),
    "recertification": _l("Recertification"),
}

#: An assignment's state, with ``overdue`` for open assignments past their due date.
ASSIGNMENT_STATES = {
    "open": _l("Open"),
    "overdue": _l("Overdue"),
    "completed": _l("Completed"),
    "cancelled": _l("Cancelled"),
}

#: A certificate's state.
CERTIFICATE_STATES = {
    "valid": _l("Valid"),
    "expired": _l("Expired"),
    "revoked": _l("Revoked"),
    "superseded": _l("Superseded"),
}

#: Columns the team table sorts by (tracks sort as ``track:<code>``).
SORT_LABELS = {
    "name": _l("Name"),
    "team": _l("Team"),
    "hired": _l("Days since hire"),
    "onboarding": _l("Onboarding"),
    "overdue": _l("Overdue"),
    "activity": _l("Last activity"),
    "csat": _l("CSAT (90 days)"),
}
