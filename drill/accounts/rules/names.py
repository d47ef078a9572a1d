"""Display names that cannot pass for someone else's: pure rules, no Flask and no database.

Every path that sets a name (the user form, the user import sheet, `drill user add`) stores
`normalise(name)` (Unicode NFKC: full-width Ｌｉ becomes Li, compatibility look-alikes fold into one form)
and refuses a name for which `problem(name)` says why: control characters and invisible formatting
characters — right-to-left overrides and the other bidi controls, zero-width spaces and joiners, the byte
order mark — which can hide or reorder letters in a peer or judge list. A name whose letters come from more
than one script (Latin with Cyrillic, Han with Greek...) is allowed but flagged to the admin by `scripts`:
it is how a look-alike such as a Cyrillic "а" in a Latin name shows.
"""

from __future__ import annotations

import unicodedata

from drill.messages import N_, Message

# Unicode categories refused in a name: Cc control, Cf format (bidi controls, zero-width characters,
# BOM), Co private use, Cs surrogates, Cn unassigned, Zl/Zp line and paragraph separators.
REFUSED_CATEGORIES = {"Cc", "Cf", "Co", "Cs", "Cn", "Zl", "Zp"}
# Letters in these blocks count as one script each; the first word of a character's Unicode name.
_SCRIPT_WORDS = {
    "CJK": N_("Han"),
    "LATIN": N_("Latin"),
    "CYRILLIC": N_("Cyrillic"),
    "GREEK": N_("Greek"),
    "ARABIC": N_("Arabic"),
    "HEBREW": N_("Hebrew"),
    "ARMENIAN": N_("Armenian"),
    "HANGUL": N_("Hangul"),
    "HIRAGANA": N_("Japanese"),
    "KATAKANA": N_("Japanese"),
    "TIBETAN": N_("Tibetan"),
    "MONGOLIAN": N_("Mongolian"),
    "THAI": N_("Thai"),
}


def normalise(name: str) -> str:
    return unicodedata.normalize("NFKC", name).strip()


def problem(name: str) -> Message | None:
    """Why the (normalised) name cannot be stored, or None."""
    for char in name:
        if unicodedata.category(char) in REFUSED_CATEGORIES:
            return Message(
                N_("the name contains an invisible or control character (U+%(code)s); please type it again"),
                code=f"{ord(char):04X}",
            )
    return None


def scripts(name: str) -> set[str]:
    """The scripts of the name's letters; more than one means the name should be looked at."""
    found = set()
    for char in name:
        if not char.isalpha():
            continue
        word = unicodedata.name(char, "").split(" ", 1)[0]
        found.add(_SCRIPT_WORDS.get(word, word.title() or "Other"))
    return found


def mixed_script(name: str) -> bool:
    return len(scripts(name)) > 1
