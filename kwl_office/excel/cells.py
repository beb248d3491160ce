"""Writing untrusted text into cells: always as text, never as a formula."""

from __future__ import annotations

from typing import Any

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE


def set_value(cell: Any, value: Any) -> Any:
    """Set ``cell`` to ``value``; a string is stored as text (a comment that starts with
    ``=`` must not become a formula) without characters a workbook cannot hold."""
    if isinstance(value, str):
        cell.value = ILLEGAL_CHARACTERS_RE.sub("", value)
        cell.data_type = "s"
    else:
        cell.value = value
    return cell
