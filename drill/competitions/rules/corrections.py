"""What a score correction sent as JSON must hold, and what is wrong with it. Pure.

`{"round": 3, "score": 87.5, "reason": "…"}`: the round's id; the corrected round score on 100 (a number
or a decimal text such as "87.50"; null or "" withdraws the round's score), as the correction form takes
it; and why, required. A refusal names the field and says what it must be (English msgids).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from drill.messages import N_

MAX_REASON = 1000  # characters, as the form's
MAX_ID = 2**31 - 1
TOO_LONG = N_("The reason is too long: at most 1,000 characters.")


@dataclass(frozen=True)
class Correction:
    round_id: int
    score: float | None  # None withdraws the round's score
    reason: str


@dataclass(frozen=True)
class Problem:
    field: str  # "round", "score", "reason" or "" (the whole body)
    message: str  # an English msgid


def parse(body: object) -> Correction | Problem:
    if not isinstance(body, dict):
        return Problem("", N_('Send the correction as JSON: {"round": …, "score": …, "reason": …}.'))
    round_id = body.get("round")
    if type(round_id) is not int or not 0 < round_id <= MAX_ID:
        return Problem("round", N_("Choose the round: its id, a whole number."))
    score = _score(body.get("score"))
    if isinstance(score, Problem):
        return score
    reason = body.get("reason")
    if not isinstance(reason, str) or not reason.strip():
        return Problem("reason", N_("Give the reason: the audit log keeps it with the correction."))
    if len(reason) > MAX_REASON:
        return Problem("reason", TOO_LONG)
    return Correction(round_id, score, reason.strip())


def _score(value: object) -> float | Problem | None:
    wrong = Problem("score", N_("The score is a number from 0 to 100, or empty to withdraw it."))
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        return wrong
    try:
        number = float(Decimal(value.strip()) if isinstance(value, str) else value)
    except (InvalidOperation, ValueError, OverflowError):
        return wrong
    if not math.isfinite(number) or not 0 <= number <= 100:
        return wrong
    return number
