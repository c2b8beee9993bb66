"""The organisation's calendar for dates shown to Persian readers: Gregorian or Solar Hijri.

The deployment sets the starting value (``LMS_CX_PERSIAN_CALENDAR``); an administrator can
change it at run time, and that choice is kept as an organisation setting.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from lms_cx.errors import ConfigurationError
from lms_cx.local_format import CALENDARS
from lms_cx.models import OrganisationSetting

#: Key of the organisation setting that holds the administrator's choice.
SETTING_KEY = "persian_calendar"


def check_calendar(value: object, where: str = "LMS_CX_PERSIAN_CALENDAR") -> str:
    """Return ``value`` when it names a calendar, else raise naming ``where``."""
    if value not in CALENDARS:
        raise ConfigurationError(f"{where} must be one of {', '.join(CALENDARS)}, not {value!r}")
    return str(value)


def persian_calendar(session: Session, default: str) -> str:
    """Return the calendar Persian readers see: the administrator's choice, else ``default``."""
    setting = session.get(OrganisationSetting, SETTING_KEY)
    if setting is not None and setting.value in CALENDARS:
        return str(setting.value)
    return check_calendar(default)


def set_persian_calendar(session: Session, calendar: str) -> None:
    """Keep ``calendar`` as the organisation's choice for Persian readers, and commit."""
    check_calendar(calendar, "calendar")
    setting = session.get(OrganisationSetting, SETTING_KEY)
    if setting is None:
        session.add(OrganisationSetting(key=SETTING_KEY, value=calendar))
    else:
        setting.value = calendar
    session.commit()
