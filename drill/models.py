"""Imports every area's models so that Alembic and `db.create_all` see the whole schema."""

from drill.accounts.models import Branch, User  # noqa: F401
