"""Sections other areas add to a person's page (`accounts.user`): the exam certificates today.

Every area knows users, so accounts sits below them all and cannot import them; instead the app factory
registers each area's section here (`register_profile_sections`), as it registers what follows an attempt's
close in `attempts.kinds`. A section is a template and what it shows, or nothing for a person it has
nothing on.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Section:
    template: str  # included on the person's page, with `section` in its context
    items: list = field(default_factory=list)


SectionOf = Callable[[int], Section | None]  # a person's user id -> their section, or None

_SECTIONS: dict[str, SectionOf] = {}


def register(name: str, section_of: SectionOf) -> None:
    """Add a section to every person's page, in the order registered. Registering it again is harmless
    (every app the process builds registers its sections)."""
    known = _SECTIONS.setdefault(name, section_of)
    if known is not section_of:
        raise ValueError(f"profile section {name!r} already comes from {known.__qualname__}")


def sections_of(user_id: int) -> list[Section]:
    return [section for section_of in _SECTIONS.values() if (section := section_of(user_id)) is not None]
