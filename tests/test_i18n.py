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


def test_the_chinese_ui_says_nin_not_ni():
    """One register across the UI: the polite 您, never 你, in every msgstr and every template."""
    with (ROOT / "translations/zh/LC_MESSAGES/messages.po").open("rb") as handle:
        familiar = sorted(
            m.id
            for m in read_po(handle)
            if m.id and "你" in "".join([m.string] if isinstance(m.string, str) else m.string)
        )
    templates = sorted(
        str(p.relative_to(ROOT)) for p in (ROOT / "templates").rglob("*.html") if "你" in p.read_text()
    )
    assert not familiar, f"msgstr with 你 (write 您): {familiar}"
    assert not templates, f"templates with 你 (write 您): {templates}"
