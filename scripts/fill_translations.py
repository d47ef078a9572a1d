"""Fill empty zh_CN translations from JSON files of {msgid: msgstr}; report what is still missing.

    python scripts/fill_translations.py translations/zh_CN.json ...
"""

import json
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

CATALOG = Path("translations/zh/LC_MESSAGES/messages.po")


def main(paths: list[str]) -> int:
    known: dict[str, str] = {}
    for path in paths:
        known.update(json.loads(Path(path).read_text(encoding="utf-8")))
    with CATALOG.open("rb") as handle:
        catalog = read_po(handle, locale="zh")
    missing = []
    for message in catalog:
        if not message.id:
            continue
        if message.id in known:
            message.string = known[message.id]
        elif not message.string:
            missing.append(message.id)
    with CATALOG.open("wb") as handle:
        write_po(handle, catalog, width=0, omit_header=False, no_location=True, sort_output=True)
    for msgid in missing:
        print(f"untranslated: {msgid!r}")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
