"""Question banks in and out of drill's Markdown pack format. Pure: no Flask, no database, no files
(except `create_pack`, which writes the skeleton it is asked for).

    gift_to_pack(text, PackInfo(...), taxonomy) → Conversion   Moodle GIFT → pack Markdown
    moodle_xml_to_pack(text, PackInfo(...), taxonomy) → Conversion   Moodle XML → pack (through GIFT)
    xlsx_to_pack(data, PackInfo(...), taxonomy) → Conversion   the Chinese exam-system workbook → pack
    pack_to_gift(parsed_pack) → Export                          a quiz pack → GIFT text
    pack_to_xlsx(parsed_pack, taxonomy) → Export                a quiz pack → workbook bytes
    template_workbook() → bytes                                 the workbook template, one example per type
    skeleton(kind, name, taxonomy) / create_pack(...)           `drill new quiz|case NAME`

A `Conversion` has `markdown` (None when a question could not be converted), `issues` (each with its
GIFT line or worksheet row and column, Chinese then English), `ok`, `errors` and `warnings`. Front-matter
values the caller does not give (`PackInfo`) and the source does not supply are written as the
placeholder `待填写` and reported as errors: the caller must fill them before the pack is used.
"""

from drill.content.convert.assemble import Conversion
from drill.content.convert.draft import ERROR, WARNING, Issue
from drill.content.convert.export import Export
from drill.content.convert.gift import gift_to_pack
from drill.content.convert.gift_emit import pack_to_gift
from drill.content.convert.markdown_writer import PLACEHOLDER, PackInfo
from drill.content.convert.skeleton import SkeletonError, create_pack, skeleton
from drill.content.convert.xlsx import xlsx_to_pack
from drill.content.convert.xlsx_write import pack_to_xlsx, template_workbook

__all__ = [
    "ERROR",
    "PLACEHOLDER",
    "WARNING",
    "Conversion",
    "Export",
    "Issue",
    "PackInfo",
    "SkeletonError",
    "create_pack",
    "gift_to_pack",
    "pack_to_gift",
    "pack_to_xlsx",
    "skeleton",
    "template_workbook",
    "xlsx_to_pack",
]
