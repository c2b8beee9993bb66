"""Feedback pages for everyone: the team's monthly view and the items about oneself.

The team sees its own feedback (managers their teams and sub-teams, administrators every
team); the routes live on the ``feedback`` blueprint.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import abort, current_app, render_template, request

from lms_cx.auth import current_employee, login_required
from lms_cx.blueprints.feedback import _locale, feedback
from lms_cx.db import get_session, utcnow
from lms_cx.reports.scope import NotInScope
from lms_cx.services.feedback_listing import feedback_filter_options, feedback_item_detail
from lms_cx.services.feedback_team import (
    add_months,
    month_start,
    team_feedback_month,
    team_feedback_scope,
)


@feedback.get("/team")
@login_required
def team() -> Any:
    """Show a team's feedback for one month: figures and trend, themes, comments, recognition."""
    session, viewer = get_session(), current_employee()
    assert viewer is not None
    today = utcnow().date()
    try:
        month = month_start(date.fromisoformat(request.args.get("month", "") + "-01"))
    except ValueError:
        month = month_start(today)
    try:
        scope = team_feedback_scope(session, viewer, request.args.get("team", type=int))
        view = team_feedback_month(
            session, scope, month, int(current_app.config["LMS_CX_REVIEW_MIN_RESPONSES"])
        )
    except NotInScope:
        return render_template("lms_cx/feedback/team.html", view=None)
    titles = {code: title for code, title in feedback_filter_options(session, _locale()).tracks}
    return render_template(
        "lms_cx/feedback/team.html",
        view=view,
        titles=titles,
        previous=add_months(month, -1),
        following=add_months(month, 1) if add_months(month, 1) <= today else None,
    )


@feedback.get("/mine/<int:item_id>")
@login_required
def my_item(item_id: int) -> Any:
    """Show one feedback item about me (what the customer said and why it points to a track)."""
    viewer = current_employee()
    assert viewer is not None
    detail = feedback_item_detail(get_session(), item_id, _locale())
    if detail is None or detail.item.employee_id != viewer.id:
        abort(404)
    return render_template("lms_cx/feedback/my_item.html", detail=detail)
