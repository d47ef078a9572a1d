"""Every string the UI shows goes through Babel and has its Chinese translation."""

import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent


def test_every_message_has_a_chinese_translation(tmp_path):
    pot = tmp_path / "messages.pot"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "babel.messages.frontend",
            "extract",
            "-F",
            "babel.cfg",
            "-k",
            "N_",
            "-k",
            "_l",
            "-o",
            str(pot),
            "--no-location",
            "drill",
            "templates",
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    with pot.open("rb") as handle:
        wanted = {m.id for m in read_po(handle) if m.id}
    with (ROOT / "translations/zh/LC_MESSAGES/messages.po").open("rb") as handle:
        translated = {m.id for m in read_po(handle) if m.id and m.string and not m.fuzzy}
    assert len(wanted) > 100, "extraction found too few messages: check babel.cfg"
    missing = sorted(wanted - translated)
    assert not missing, f"add zh translations (make translations): {missing[:20]}"
