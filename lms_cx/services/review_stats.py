"""The statistics of a review packet: CSAT and NPS with 95% confidence intervals.

Below the minimum number of responses a metric carries no number at all (``value`` None,
``enough`` False), so no page, export or webhook can show a figure too thin to judge by.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

#: The normal quantile of a two-sided 95% interval.
Z_95 = 1.959964


@dataclass(frozen=True)
class Metric:
    """A mean or score with its 95% confidence interval, or "not enough data"."""

    responses: int
    enough: bool
    value: float | None
    ci_low: float | None
    ci_high: float | None

    def as_data(self) -> dict[str, Any]:
        """Return the metric as JSON-ready data."""
        return asdict(self)


def _rounded(value: float) -> float:
    return round(value, 4)


def _not_enough(responses: int) -> Metric:
    return Metric(responses, False, None, None, None)


def csat_metric(scores: Sequence[int], min_responses: int) -> Metric:
    """Return the mean CSAT (1-5) with a normal-approximation interval, clipped to the scale."""
    count = len(scores)
    if count == 0 or count < min_responses:
        return _not_enough(count)
    mean = sum(scores) / count
    if count < 2:
        return Metric(count, True, _rounded(mean), None, None)
    variance = sum((score - mean) ** 2 for score in scores) / (count - 1)
    half = Z_95 * math.sqrt(variance / count)
    return Metric(
        count,
        True,
        _rounded(mean),
        _rounded(max(1.0, mean - half)),
        _rounded(min(5.0, mean + half)),
    )


def nps_metric(scores: Sequence[int], min_responses: int) -> Metric:
    """Return the Net Promoter Score (% promoters 9-10 minus % detractors 0-6) and its interval.

    The interval uses the variance of the difference of two proportions of one sample:
    ``p + d - (p - d)²`` over ``n``.
    """
    count = len(scores)
    if count == 0 or count < min_responses:
        return _not_enough(count)
    promoters = sum(1 for score in scores if score >= 9) / count
    detractors = sum(1 for score in scores if score <= 6) / count
    score = 100 * (promoters - detractors)
    variance = promoters + detractors - (promoters - detractors) ** 2
    half = 100 * Z_95 * math.sqrt(max(variance, 0.0) / count)
    return Metric(
        count,
        True,
        _rounded(score),
        _rounded(max(-100.0, score - half)),
        _rounded(min(100.0, score + half)),
    )


def is_positive(csat: int | None, nps: int | None) -> bool:
    """Return True for praise: CSAT 4-5, or without CSAT an NPS of 9-10."""
    if csat is not None:
        return csat >= 4
    return nps is not None and nps >= 9


def is_negative(csat: int | None, nps: int | None) -> bool:
    """Return True for a complaint: CSAT 1-2, or without CSAT an NPS of 0-6."""
    if csat is not None:
        return csat <= 2
    return nps is not None and nps <= 6
