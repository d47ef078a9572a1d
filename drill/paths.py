"""Where the top-level folders live, from a checkout or from an installed wheel.

A checkout (or an editable install) has `templates/`, `content/`, `migrations/` and `translations/` beside
the package; a wheel carries them inside the package as `_templates`, `_content`, ... (see pyproject.toml).
"""

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent


def project_dir(name: str) -> Path:
    installed = PACKAGE_DIR / f"_{name}"
    if installed.is_dir():
        return installed
    return PACKAGE_DIR.parent / name
