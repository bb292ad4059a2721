"""The corrections store: the user's corrected drawings in one SQLite file.

rows: the schema, its migrations and a correction's row; store: CorrectionStore, which reads and
writes them; exchange: export to, and import from, a folder of drawings with corrections.csv;
recovery: a damaged database made usable again as it opens.
"""

from lenet_desktop.core.store.exchange import (
    CONFIRMED_COLUMN,
    EXPORT_COLUMNS,
    EXPORT_CSV,
    NUMBER_COLUMNS,
    ImportResult,
)
from lenet_desktop.core.store.recovery import MAX_PROBED_ID
from lenet_desktop.core.store.rows import (
    CORRECTION,
    DATABASE_NAME,
    ENROLMENT,
    PNG_SIGNATURE,
    SCHEMA_VERSION,
    Correction,
    DigitCorrection,
    StoreError,
    decode_png,
    default_store_path,
    encode_png,
)
from lenet_desktop.core.store.store import CorrectionStore

__all__ = [
    "CONFIRMED_COLUMN",
    "CORRECTION",
    "DATABASE_NAME",
    "ENROLMENT",
    "EXPORT_COLUMNS",
    "EXPORT_CSV",
    "MAX_PROBED_ID",
    "NUMBER_COLUMNS",
    "PNG_SIGNATURE",
    "SCHEMA_VERSION",
    "Correction",
    "CorrectionStore",
    "DigitCorrection",
    "ImportResult",
    "StoreError",
    "decode_png",
    "default_store_path",
    "encode_png",
]
