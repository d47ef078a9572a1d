"""Cells that a spreadsheet will not run: OWASP's rule against CSV (formula) injection.

A name, an employee number, a branch or an option text that starts with `=`, `+`, `-`, `@`, a tab or a
carriage return is read by Excel and WPS as a formula (in a CSV) or stored as one (openpyxl makes an XLSX
formula cell of any string starting with `=`). Every exporter passes its rows through `safe_row`, which
puts a single quote in front of such a text: the cell shows the text, and nothing runs. Numbers are left
alone (a negative number is a number, not a formula). Not for drill/content/convert, whose XLSX round trip
writes an option's leading `=` as a real text cell.
"""

from __future__ import annotations

from collections.abc import Iterable

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def safe_row(values: Iterable) -> list:
    return [safe_cell(value) for value in values]
