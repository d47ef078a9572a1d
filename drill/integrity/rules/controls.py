"""Page-leave and device rules for a paper: pure functions over plain data, time passed in.

- Which controls hold: practice, assigned and review drills have none; exams and competition rounds have
  all of them unless the trainer or organiser switched one off (`settings_for`).
- A page-leave is the page hidden or the window losing focus (the browser tells), never a lost network:
  events that could not be sent are sent later and counted when they arrive (`apply`).
- With a limit of N, the paper is submitted once N page-leaves are counted; after N − 1 the candidate is
  warned that the next one submits (`leave_status`). The submit is the normal one, from the page.
- One device at a time: a paper opened on another device moves to it; the first is told (`apply`).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

WATCHED_KINDS = frozenset({"exam", "competition"})
# a round's controls change while it is a draft or open (a paper opened later gets the new ones); once it
# has closed for entries they are history
EDITABLE_ROUND_STATES = frozenset({"draft", "open"})

# sent by the page
CLIENT_KINDS = frozenset({"opened", "left", "returned", "paste", "fullscreen_exit", "alive"})
# added by the server
SERVER_KINDS = frozenset({"device", "address", "limit"})
STORED_KINDS = (CLIENT_KINDS - {"alive"}) | SERVER_KINDS


@dataclass(frozen=True)
class Settings:
    count_leaves: bool = True
    leave_limit: int | None = None
    block_paste: bool = True
    fullscreen: bool = True
    one_device: bool = True

    @property
    def any(self) -> bool:
        return self.count_leaves or self.block_paste or self.fullscreen or self.one_device


OFF = Settings(count_leaves=False, leave_limit=None, block_paste=False, fullscreen=False, one_device=False)
DEFAULT = Settings()


def settings_for(attempt_kind: str, stored: Settings | None) -> Settings:
    """Off for drills; for exams and rounds what was stored, or all on when nothing was."""
    if attempt_kind not in WATCHED_KINDS:
        return OFF
    settings = stored if stored is not None else DEFAULT
    if not settings.count_leaves:
        settings = replace(settings, leave_limit=None)
    return settings


def leave_status(leaves: int, limit: int | None) -> str:
    """ "ok", "warn" (the next page-leave submits the paper) or "submit" (the limit is reached)."""
    if limit is None:
        return "ok"
    if leaves >= limit:
        return "submit"
    if leaves == limit - 1:
        return "warn"
    return "ok"


@dataclass(frozen=True)
class Watch:
    """A paper's state as the server keeps it."""

    device: str | None = None
    address: str | None = None
    leaves: int = 0
    pastes: int = 0
    devices: int = 0
    limit_reached_at: datetime | None = None


@dataclass(frozen=True)
class Incoming:
    kind: str
    device: str
    address: str | None


@dataclass(frozen=True)
class Outcome:
    watch: Watch
    record: tuple[str, ...]  # the kinds to store, in order: the event itself and what the server noticed
    superseded: bool  # this device no longer holds the paper (one device at a time)


def apply(watch: Watch, event: Incoming, settings: Settings, now: datetime) -> Outcome:
    """One event from the page: what changes and what is recorded."""
    record: list[str] = []
    if event.kind == "opened" and watch.device is not None and event.device != watch.device:
        record.append("device")
        watch = replace(watch, device=event.device, devices=watch.devices + 1)
    elif watch.device is None:
        watch = replace(watch, device=event.device)
    if event.address and watch.address and event.address != watch.address:
        record.append("address")
    if event.address:
        watch = replace(watch, address=event.address)
    if event.kind != "alive":
        record.insert(0, event.kind)
    if event.kind == "left" and settings.count_leaves:
        watch = replace(watch, leaves=watch.leaves + 1)
        if leave_status(watch.leaves, settings.leave_limit) == "submit" and watch.limit_reached_at is None:
            watch = replace(watch, limit_reached_at=now)
            record.append("limit")
    if event.kind == "paste":
        watch = replace(watch, pastes=watch.pastes + 1)
    superseded = settings.one_device and event.device != watch.device
    return Outcome(watch, tuple(record), superseded)


def over(counts: dict[int, int], more_than: int) -> int:
    """How many candidates left the page more than `more_than` times (the overview's summary)."""
    return sum(1 for leaves in counts.values() if leaves > more_than)
