"""lms_cx's Alembic environment; shipped in the wheel as ``lms_cx.migrations``."""
