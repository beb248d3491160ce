"""The Kwaliteitsregister: the store (:mod:`.store`, SQLite) and its exports (:mod:`.export`).
The names most used are re-exported here."""

from kwl_office.kinds import EXPORT_FORMATS, ExportFormat, Status
from kwl_office.places import (
    REGISTER_ENV,
    REGISTER_FILENAME,
    default_register_path,
    user_register_path,
)
from kwl_office.register.export import export_register, neutralise_csv_cell
from kwl_office.register.schema import SCHEMA_VERSION
from kwl_office.register.store import (
    DEFAULT_TIMEOUT,
    NUMBER_PREFIX,
    Entry,
    Register,
    StoredResult,
    format_number,
    number_order,
    valid_until,
)

__all__ = [
    "DEFAULT_TIMEOUT",
    "EXPORT_FORMATS",
    "NUMBER_PREFIX",
    "REGISTER_ENV",
    "REGISTER_FILENAME",
    "SCHEMA_VERSION",
    "Entry",
    "StoredResult",
    "ExportFormat",
    "Register",
    "Status",
    "default_register_path",
    "export_register",
    "format_number",
    "neutralise_csv_cell",
    "number_order",
    "user_register_path",
    "valid_until",
]
