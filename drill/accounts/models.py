"""Users, their roles, branches, the server-side login sessions, the sign-in throttle and the security log."""

from __future__ import annotations

import secrets
from contextlib import suppress
from datetime import datetime
from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app, has_app_context
from flask_login import UserMixin
from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from drill.database import UTCDateTime, intpk, timestamp
from drill.extensions import db

# Argon2id parameters. The default is OWASP's minimum for argon2id (t=2, 19 MiB, p=1: about 20 ms of one
# core per check, #22; argon2-cffi's own default, t=3, 64 MiB, p=4, cost ~100 ms and capped sign-ins at
# ~8/s on two cores). A deployment may set PASSWORD_HASH (time_cost, memory_cost in KiB, parallelism) higher,
# never lower. A hash made with other parameters is re-made at the next sign-in.
OWASP_MINIMUM = {"time_cost": 2, "memory_cost": 19456, "parallelism": 1}
DEFAULT_PASSWORD_HASH = dict(OWASP_MINIMUM)


def checked_hash_parameters(config, testing: bool) -> dict:
    """The configured parameters; below OWASP's minimum they are refused (except in tests)."""
    params = {**DEFAULT_PASSWORD_HASH, **config.get("PASSWORD_HASH", {})}
    weak = [name for name, least in OWASP_MINIMUM.items() if params[name] < least]
    if weak and not testing:
        raise ValueError(f"PASSWORD_HASH below OWASP's minimum for argon2id in {', '.join(weak)}")
    return params


def hash_parameters() -> dict:
    if not has_app_context():
        return DEFAULT_PASSWORD_HASH
    return checked_hash_parameters(current_app.config, current_app.testing)


@lru_cache
def _hasher_with(time_cost: int, memory_cost: int, parallelism: int) -> PasswordHasher:
    return PasswordHasher(time_cost=time_cost, memory_cost=memory_cost, parallelism=parallelism)


@lru_cache
def _dummy_hash_with(hasher: PasswordHasher) -> str:
    return hasher.hash(secrets.token_urlsafe(16))


def password_hasher() -> PasswordHasher:
    return _hasher_with(**hash_parameters())


def verify_nobody(password: str) -> bool:
    """Spend the time one password check takes, for an employee number with no account, so that a wrong
    number answers no faster than a wrong password. Always False."""
    hasher = password_hasher()
    with suppress(VerificationError, InvalidHashError):
        hasher.verify(_dummy_hash_with(hasher), password)
    return False


class Branch(db.Model):
    """A node of the organisation tree: head office → branch → outlet.

    `path` is the materialised path of ids ("/1/4/9/"), so a subtree is one prefix query.
    """

    __tablename__ = "branches"

    id: Mapped[intpk]
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(16))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("branches.id"))
    path: Mapped[str] = mapped_column(String(255), default="", index=True)

    parent: Mapped[Branch | None] = relationship(remote_side="Branch.id", back_populates="children")
    children: Mapped[list[Branch]] = relationship(back_populates="parent", order_by="Branch.code")

    def __repr__(self) -> str:
        return f"<Branch {self.code}>"

    @property
    def depth(self) -> int:
        return self.path.count("/") - 2


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[intpk]
    employee_no: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(80))
    password_hash: Mapped[str] = mapped_column(String(255))
    branch_id: Mapped[int] = mapped_column(ForeignKey("branches.id"), index=True)
    category: Mapped[str | None] = mapped_column(String(16))
    level: Mapped[str | None] = mapped_column(String(16))
    # A trainer or admin may be limited to a subtree; None means the whole organisation.
    scope_branch_id: Mapped[int | None] = mapped_column(ForeignKey("branches.id"))
    locale: Mapped[str] = mapped_column(String(8), default="zh_CN")
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[timestamp]

    branch: Mapped[Branch] = relationship(foreign_keys=[branch_id])
    scope_branch: Mapped[Branch | None] = relationship(foreign_keys=[scope_branch_id])
    role_rows: Mapped[list[UserRole]] = relationship(
        back_populates="user", cascade="all, delete-orphan", lazy="selectin"
    )

    def __repr__(self) -> str:
        return f"<User {self.employee_no}>"

    @property
    def roles(self) -> set[str]:
        return {row.role for row in self.role_rows}

    @roles.setter
    def roles(self, roles: set[str] | list[str]) -> None:
        wanted = set(roles)
        self.role_rows = [row for row in self.role_rows if row.role in wanted]
        for role in sorted(wanted - self.roles):
            self.role_rows.append(UserRole(role=role))

    def has_role(self, *roles: str) -> bool:
        return bool(self.roles.intersection(roles))

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive users
        return self.active

    def set_password(self, password: str) -> None:
        self.password_hash = password_hasher().hash(password)

    def check_password(self, password: str) -> bool:
        try:
            return password_hasher().verify(self.password_hash, password)
        except (VerificationError, InvalidHashError):
            return False

    def password_needs_rehash(self) -> bool:
        """True when the stored hash was made with other parameters than today's (argon2's own check)."""
        try:
            return password_hasher().check_needs_rehash(self.password_hash)
        except InvalidHashError:
            return True


class UserRole(db.Model):
    __tablename__ = "user_roles"
    __table_args__ = (UniqueConstraint("user_id", "role"),)

    id: Mapped[intpk]
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    role: Mapped[str] = mapped_column(String(16))

    user: Mapped[User] = relationship(back_populates="role_rows")


class LoginSession(db.Model):
    """One signed-in browser. Logging out ends it here, so a copied cookie is worthless afterwards."""

    __tablename__ = "login_sessions"

    id: Mapped[intpk]
    token: Mapped[str] = mapped_column(String(64), unique=True, default=lambda: secrets.token_urlsafe(32))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[timestamp]
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    user: Mapped[User] = relationship()


class LoginThrottle(db.Model):
    """Failed sign-ins counted per key (`account:<employee number>` or `address:<client address>`).

    A table, not process memory: every app process behind the load balancer counts into the same rows.
    The rules that read and move a row are pure (`drill.auth.rules.throttle`).
    """

    __tablename__ = "login_throttles"

    key: Mapped[str] = mapped_column(String(160), primary_key=True)
    failures: Mapped[int] = mapped_column(default=0)
    window_started_at: Mapped[datetime] = mapped_column(UTCDateTime())
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime())


class SecurityEvent(db.Model):
    """The security log: sign-in locks and unlocks, ended sessions, password changes and resets, flagged
    names. Written by the services that do these things; never edited, never deleted."""

    __tablename__ = "security_events"

    id: Mapped[intpk]
    at: Mapped[timestamp]
    action: Mapped[str] = mapped_column(String(24))  # lock | unlock | end_sessions | password_change | ...
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    key: Mapped[str] = mapped_column(String(160), default="")  # the throttle key of a lock or unlock
    detail: Mapped[str] = mapped_column(String(255), default="")

    actor: Mapped[User | None] = relationship(foreign_keys=[actor_id])
    user: Mapped[User | None] = relationship(foreign_keys=[user_id])
