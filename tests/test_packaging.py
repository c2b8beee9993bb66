"""The package as it ships: every subpackage listed, migrations inside the wheel."""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_every_package_is_listed_in_pyproject() -> None:
    """Test that pyproject.toml lists every folder of lms_cx that holds Python modules."""
    listed = set(
        tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"]
    )
    found = {
        ".".join(path.parent.relative_to(ROOT).parts)
        for path in (ROOT / "lms_cx").rglob("__init__.py")
    } | {"lms_cx.migrations"}
    assert found == listed


def test_migrations_resolve_as_a_package() -> None:
    """Test that lms_cx finds its Alembic environment through the package, as in a wheel."""
    from lms_cx import schema

    assert Path(schema.script_location()).joinpath("env.py").is_file()
