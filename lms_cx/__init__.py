"""lms_cx: customer-experience training across the employee lifecycle, as a Flask extension."""

from lms_cx.extension import LmsCx, LmsCxState, get_state

__all__ = ["LmsCx", "LmsCxState", "create_app", "get_state"]
__version__ = "0.1.0"


def create_app(test_config=None, *, instance_path=None):  # noqa: ANN001, ANN201 - see app.py
    """Create the standalone lms_cx app (see ``lms_cx.app.create_app``)."""
    from lms_cx.app import create_app as _create_app

    return _create_app(test_config, instance_path=instance_path)
