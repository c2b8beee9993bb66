"""Hypothesis profiles of the fuzz suite: modest by default so CI stays fast.

``HYPOTHESIS_PROFILE=fuzz-thorough`` runs many more examples, for a night run or after a
change to an importer.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

#: The database fixtures are per test, not per example: each example checks its own
#: before-and-after counts instead of relying on a fresh database.
_SHARED = {
    "deadline": None,
    "suppress_health_check": [HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
}
settings.register_profile("fuzz", max_examples=60, **_SHARED)
settings.register_profile("fuzz-thorough", max_examples=2_000, **_SHARED)


def fuzz_settings() -> settings:
    """Return the profile the fuzz tests run with (``HYPOTHESIS_PROFILE``, else ``fuzz``)."""
    name = os.environ.get("HYPOTHESIS_PROFILE", "fuzz")
    return settings.get_profile(name if name.startswith("fuzz") else "fuzz")
