"""The demo's shared state: who is there, what time it is, and one random generator for everything."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta

from sqlalchemy import select

from drill.accounts.models import Branch, User
from drill.extensions import db
from drill.i18n import local_day, local_zone

SEED = 20261128  # the same demo every time


@dataclass
class World:
    now: datetime  # UTC; every demo time is relative to it, and never later
    rng: random.Random = field(default_factory=lambda: random.Random(SEED))
    users: dict[str, User] = field(default_factory=dict)  # employee number -> user
    notes: list[str] = field(default_factory=list)  # what was seeded, one line each (printed by `drill demo`)
    cache: dict = field(default_factory=dict)  # what a step looked up once and reuses

    @classmethod
    def load(cls, now: datetime) -> World:
        users = {u.employee_no: u for u in db.session.scalars(select(User).order_by(User.employee_no))}
        return cls(now=now, users=users)

    def user(self, employee_no: str) -> User:
        return self.users[employee_no]

    @property
    def managers(self) -> list[User]:
        return [u for no, u in sorted(self.users.items()) if "manager" in u.roles]

    @property
    def bank_managers(self) -> list[User]:
        return [u for u in self.managers if u.category != "tobacco"]

    def branch(self, code: str) -> Branch:
        return db.session.scalar(select(Branch).where(Branch.code == code))

    def at(self, days_ago: int, hour: int, minute: int = 0) -> datetime:
        """`days_ago` local days before today at hh:mm local time, in UTC; never later than now."""
        day = local_day(self.now) - timedelta(days=days_ago)
        moment = datetime.combine(day, time(hour, minute), local_zone()).astimezone(UTC)
        return min(moment, self.now - timedelta(minutes=1))

    def note(self, line: str) -> None:
        self.notes.append(line)
