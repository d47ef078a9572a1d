"""The browser side of the GIFT and XLSX converters (drill.content.convert), where they are installed.

An uploaded `.gift` or `.xlsx` becomes a draft of the converted Markdown: what the converter reports
(by GIFT line or sheet row) is shown as notes, and `drill check` then reports the Markdown's problems
at their lines in the editor. A file that cannot be converted at all is refused with the converter's
reasons, and nothing is stored.
"""

from __future__ import annotations

import importlib
import posixpath
from dataclasses import dataclass, field

from drill.authoring.rules.uploads import Limits, Refused, extension, human, slug
from drill.authoring.rules.zips import screen_workbook
from drill.content.convert.markdown_writer import PackInfo
from drill.content.taxonomy import Taxonomy
from drill.messages import N_

# extension → (module in drill.content.convert, its converter function, whether it reads text or bytes)
FORMATS = {
    ".gift": ("gift", "gift_to_pack", "text"),
    ".xml": ("moodle_xml", "moodle_xml_to_pack", "text"),  # a question bank exported from Moodle
    ".xlsx": ("xlsx", "xlsx_to_pack", "bytes"),
}


@dataclass
class Converted:
    text: str
    name: str
    notes: list[str] = field(default_factory=list)  # the converter's issues, each with its place


def _function(ext: str):
    module_name, function, _reads = FORMATS[ext]
    try:
        module = importlib.import_module(f"drill.content.convert.{module_name}")
    except ImportError:
        return None
    return getattr(module, function, None)


def available() -> list[str]:
    """The extensions the installed converters read."""
    return [ext for ext in FORMATS if _function(ext) is not None]


def handles(filename: str) -> bool:
    return extension(filename) in available()


def convert(filename: str, data: bytes, limits: Limits, taxonomy: Taxonomy) -> Converted:
    """Convert an uploaded `.gift` or `.xlsx` into a pack's Markdown, or Refused with the reasons."""
    if len(data) > limits.upload_bytes:
        raise Refused(
            N_("The upload is %(size)s; the limit is %(limit)s."),
            size=human(len(data)),
            limit=human(limits.upload_bytes),
        )
    ext = extension(filename)
    name = slug(posixpath.splitext(posixpath.basename(filename.replace("\\", "/")))[0])
    source: str | bytes = data
    if ext == ".xlsx":
        screen_workbook(filename, data, limits)
    if FORMATS[ext][2] == "text":
        try:
            source = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise Refused(
                N_("“%(name)s” is not UTF-8 text; save it as UTF-8 (not GBK) and upload it again."),
                name=filename,
            ) from None
    try:
        if FORMATS[ext][2] == "text":
            conversion = _function(ext)(source, PackInfo(id=name), taxonomy)
        else:  # a sheet: the file's name gives the pack's title when the sheet does not
            conversion = _function(ext)(source, PackInfo(id=name), taxonomy, source_name=filename)
    except ValueError as exc:  # a sheet that cannot be read at all
        raise Refused(
            N_("“%(name)s” could not be converted: %(reasons)s"), name=filename, reasons=str(exc)
        ) from None
    notes = [issue.located() for issue in conversion.issues]
    if conversion.markdown is None:
        raise Refused(
            N_("“%(name)s” could not be converted: %(reasons)s"),
            name=filename,
            reasons=" · ".join(notes[:20]),
        )
    return Converted(conversion.markdown, name, notes)


def xlsx_template() -> bytes | None:
    """The Excel template to fill in (a header and an example row per question type), where installed."""
    try:  # openpyxl is optional here: without it there is no template to offer
        from drill.content.convert.xlsx_write import template_workbook
    except ImportError:
        return None
    return template_workbook()
