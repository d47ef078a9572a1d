"""The build hook behind `pip install .` and every wheel: compiles the translation catalogues (`.po` → `.mo`,
as `make compile-translations` does) so that an installed drill speaks Chinese. The `.mo` files are not in
git; without this hook a wheel would carry only the `.po` and serve an English UI.

A wheel gets each compiled catalogue at `drill/_translations/<lang>/LC_MESSAGES/` (drill/paths.py finds it
there); an editable install gets it beside its `.po`, where the checkout reads it.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

try:
    from hatchling.builders.hooks.plugin.interface import BuildHookInterface
except ImportError:  # outside a build (tests/conftest.py uses compile_catalogues only)
    BuildHookInterface = object


def compile_catalogues(source: Path, target: Path) -> list[Path]:
    """Every `<lang>/LC_MESSAGES/*.po` under `source` compiled to the same place under `target`."""
    written = []
    for po in sorted(source.glob("*/LC_MESSAGES/*.po")):
        with po.open("rb") as handle:
            catalog = read_po(handle, locale=po.parent.parent.name)
        mo = target / po.relative_to(source).with_suffix(".mo")
        mo.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("wb", dir=mo.parent, suffix=".tmp", delete=False) as handle:
            write_mo(handle, catalog, use_fuzzy=True)
        os.chmod(handle.name, 0o644)
        os.replace(handle.name, mo)  # atomic: a reader never sees half a catalogue
        written.append(mo)
    if not written:
        raise RuntimeError(f"no translation catalogue (*.po) under {source}")
    return written


class CatalogueHook(BuildHookInterface):
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict) -> None:
        source = Path(self.root) / "translations"
        if self.target_name != "wheel":
            return
        if version == "editable":
            compile_catalogues(source, source)
            return
        self._tmp = tempfile.TemporaryDirectory()
        target = Path(self._tmp.name)
        for mo in compile_catalogues(source, target):
            build_data["force_include"][str(mo)] = f"drill/_translations/{mo.relative_to(target).as_posix()}"

    def finalize(self, version: str, build_data: dict, artifact_path: str) -> None:
        if getattr(self, "_tmp", None) is not None:
            self._tmp.cleanup()
