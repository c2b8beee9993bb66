"""The CX readiness index of a review packet: a weighted mean of parts scored 0-100.

Parts (``docs/reviews.md`` explains each):

- ``training``: required assignments completed on time, as a share of those that were due;
- ``quiz``: the mean scaled score of the quiz attempts submitted in the period;
- ``csat``: the mean CSAT mapped from 1-5 onto 0-100, ``(mean - 1) / 4 * 100``;
- ``nps``: the Net Promoter Score mapped from -100..100 onto 0-100, ``(nps + 100) / 2``.

Weights come from ``LMS_CX_REVIEW_INDEX_WEIGHTS``. A part without data (nothing due, no
quiz, fewer responses than the minimum) drops out and the others are re-weighted; when the
parts left carry less than ``LMS_CX_REVIEW_INDEX_MIN_WEIGHT`` of the total weight, the index
is "not enough data" rather than a number resting on one thin part.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from lms_cx.errors import ValidationError
from lms_cx.i18n import gettext as _

#: The parts the index knows, in the order packets show them.
INDEX_PARTS = ("training", "quiz", "csat", "nps")


def check_weights(weights: Mapping[str, Any] | str) -> dict[str, float]:
    """Return ``weights`` (a mapping, or JSON from the environment) as floats.

    Raise ``ValidationError`` naming the setting when one is unknown, negative or not a number.
    """
    if isinstance(weights, str):
        try:
            weights = json.loads(weights)
        except ValueError:
            weights = None
        if not isinstance(weights, dict):
            raise ValidationError(
                _('give the weights as JSON, e.g. {"training": 0.3, "quiz": 0.2}'),
                field="LMS_CX_REVIEW_INDEX_WEIGHTS",
            )
    unknown = sorted(set(weights) - set(INDEX_PARTS))
    if unknown:
        raise ValidationError(
            _(
                "unknown index parts %(parts)s; known: %(known)s",
                parts=", ".join(unknown),
                known=", ".join(INDEX_PARTS),
            ),
            field="LMS_CX_REVIEW_INDEX_WEIGHTS",
        )
    checked = {}
    for part in INDEX_PARTS:
        value = weights.get(part, 0)
        if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
            raise ValidationError(
                _("the weight of %(part)s must be a number of at least 0", part=part),
                field="LMS_CX_REVIEW_INDEX_WEIGHTS",
            )
        checked[part] = float(value)
    if not sum(checked.values()):
        raise ValidationError(
            _("at least one index weight must be above 0"), field="LMS_CX_REVIEW_INDEX_WEIGHTS"
        )
    return checked


def part_values(training: dict[str, Any], feedback: dict[str, Any]) -> dict[str, float | None]:
    """Return each part's 0-100 value from a packet's training and feedback figures."""
    csat = feedback["csat"]["value"]
    nps = feedback["nps"]["value"]
    on_time = training["on_time_rate"]
    quiz = training["quiz_average"]
    return {
        "training": None if on_time is None else 100 * on_time,
        "quiz": None if quiz is None else 100 * quiz,
        "csat": None if csat is None else (csat - 1) / 4 * 100,
        "nps": None if nps is None else (nps + 100) / 2,
    }


def readiness_index(
    values: Mapping[str, float | None], weights: Mapping[str, float], min_weight: float
) -> dict[str, Any]:
    """Return the index with its parts: value, weight, share of the index, contribution."""
    total = sum(weights.values())
    present = sum(weights[part] for part in INDEX_PARTS if values.get(part) is not None)
    enough = present > 0 and present / total >= min_weight
    parts = []
    index = 0.0
    for part in INDEX_PARTS:
        value = values.get(part)
        share = weights[part] / present if value is not None and present else 0.0
        contribution = (value or 0.0) * share
        index += contribution
        parts.append(
            {
                "name": part,
                "value": None if value is None else round(value, 2),
                "weight": weights[part],
                "share": round(share, 4),
                "contribution": round(contribution, 2) if value is not None else None,
            }
        )
    return {
        "value": round(index, 1) if enough else None,
        "enough": enough,
        "covered_weight": round(present / total, 4),
        "min_weight": min_weight,
        "parts": parts,
    }
