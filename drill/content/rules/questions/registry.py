"""The registry of question types, checked for duplicate names when a type registers."""

from __future__ import annotations

from drill.content.rules.questions.base import QuestionType, fold_answer

REGISTRY: dict[str, QuestionType] = {}
_SPELLINGS: dict[str, str] = {}


def register(cls: type[QuestionType]) -> type[QuestionType]:
    if cls.name in REGISTRY:
        raise ValueError(f"question type `{cls.name}` is registered twice")
    spellings = {fold_answer(s) for s in (cls.name, *cls.names)}
    for spelling in spellings:
        if spelling in _SPELLINGS:
            raise ValueError(f"`{spelling}` names both `{_SPELLINGS[spelling]}` and `{cls.name}`")
    for spelling in spellings:
        _SPELLINGS[spelling] = cls.name
    REGISTRY[cls.name] = cls()
    return cls


def resolve_type(word: str) -> QuestionType | None:
    """The type a trainer means by `单选`, `单选题`, `Single choice`, `single`..."""
    folded = fold_answer(word)
    name = _SPELLINGS.get(folded) or _SPELLINGS.get(folded.removesuffix("题"))
    return REGISTRY[name] if name else None


def type_listing() -> str:
    ordered = sorted(REGISTRY.values(), key=lambda t: t.rank)
    return ", ".join(f"{t.names[0]} ({t.name})" for t in ordered)
