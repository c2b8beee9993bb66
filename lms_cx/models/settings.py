"""Organisation-wide settings that admins change at run time (not deployment config)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from lms_cx.db import Base, JSONType, utcnow


class OrganisationSetting(Base):
    """One named organisation setting, its value any JSON (a number, a list, an object)."""

    __tablename__ = "lms_cx_organisation_setting"

    key: Mapped[str] = mapped_column(sa.String(120), primary_key=True)
    value: Mapped[Any] = mapped_column(JSONType)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
