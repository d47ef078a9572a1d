"""Adding participants by a list of employee numbers: who is added, and why each other number is not.

A number is checked in this order, and the first reason that applies is the one given:

- no account has it (`UNKNOWN`);
- the account is outside the trainer's branches (`OUTSIDE`), for a trainer limited to a subtree;
- the account is deactivated (`INACTIVE`);
- it is not a customer manager's (`NOT_MANAGER`): judges, trainers and administrators do not compete;
- its holder already takes part (`ALREADY`).

A number listed again is added once and reported (`REPEATED`), so the count added matches the list. The
valid numbers are added and the others reported rather than the whole list refused: adding is idempotent,
so the trainer corrects the few reported numbers and posts them again, without re-checking the rest.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from drill.messages import N_

UNKNOWN = N_("Not added, no account has this employee number: %(numbers)s")
OUTSIDE = N_("Not added, outside your branches: %(numbers)s")
INACTIVE = N_("Not added, the account is deactivated: %(numbers)s")
NOT_MANAGER = N_("Not added, not a customer manager: %(numbers)s")
ALREADY = N_("Not added, already taking part: %(numbers)s")
REPEATED = N_("Listed more than once, added once: %(numbers)s")
REASONS = (UNKNOWN, OUTSIDE, INACTIVE, NOT_MANAGER, ALREADY, REPEATED)
SHOWN = 20  # numbers listed per reason; the rest are counted


@dataclass(frozen=True)
class Account:
    """What decides whether an employee number's holder may be added."""

    in_scope: bool
    active: bool
    manager: bool
    taking_part: bool


def screen(numbers: Iterable[str], accounts: Mapping[str, Account]) -> tuple[list[str], dict[str, list[str]]]:
    """(the numbers to add, in list order, each once; {reason: its numbers in list order} in `REASONS`
    order, for the others). `accounts` holds the numbers that have an account."""
    added: list[str] = []
    skipped: dict[str, list[str]] = {}
    seen: set[str] = set()
    for number in numbers:
        if number in seen:
            reason = REPEATED if number in added else None
        else:
            seen.add(number)
            reason = _reason(accounts.get(number))
            if reason is None:
                added.append(number)
        if reason is not None and number not in skipped.get(reason, ()):
            skipped.setdefault(reason, []).append(number)
    return added, {reason: skipped[reason] for reason in REASONS if reason in skipped}


def _reason(account: Account | None) -> str | None:
    if account is None:
        return UNKNOWN
    if not account.in_scope:
        return OUTSIDE
    if not account.active:
        return INACTIVE
    if not account.manager:
        return NOT_MANAGER
    if account.taking_part:
        return ALREADY
    return None


def listed(numbers: list[str], shown: int = SHOWN) -> str:
    """The numbers for a message: the first `shown`, then how many more."""
    head = ", ".join(numbers[:shown])
    return head if len(numbers) <= shown else f"{head} … (+{len(numbers) - shown})"
