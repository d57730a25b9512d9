"""Point files (CSV, XLSX, GeoJSON, GeoPackage) → validated layer records.

Three steps, one module each:

- :mod:`.reading`: ``read_table`` turns a file as it comes (any common delimiter, decimal
  commas, UTF-8 with or without BOM, Windows-1252, UTF-16; the first worksheet or layer with
  data) into rows of text indexed by their row number; ``list_sheets`` names its worksheets
  or layers.
- :mod:`.detection`: which column is which field (``detect_columns``), which coordinate
  system (``detect_crs``), which layer the type values fit (``guess_layer``,
  ``layer_mismatch``).
- :mod:`.validation`: ``prepare_points`` checks every row, collects every problem (row,
  column, what is wrong, how to fix it) and returns the accepted records (x/y in EPSG:31370,
  joined to their sector) with the refused rows and their reasons.

Both the command line and the import page use ``read_table`` and ``prepare_points`` from
here; nothing in this package writes to disk.
"""

from cohesie.ingest.points.detection import (
    ADDRESS_NAMES,
    ALIASES,
    CRS_NAMES,
    FIELD_LABELS,
    TypeCounts,
    check_crs,
    describe_crs,
    detect_columns,
    detect_crs,
    detect_xy_crs,
    guess_layer,
    layer_mismatch,
    mappable_fields,
    parse_numbers,
    type_counts,
)
from cohesie.ingest.points.reading import (
    EXCEL_SUFFIXES,
    GEO_SUFFIXES,
    TABLE_SUFFIXES,
    TEXT_SUFFIXES,
    detect_delimiter,
    list_sheets,
    read_table,
)
from cohesie.ingest.points.validation import (
    BE_LAT,
    BE_LON,
    DATE_FORMATS,
    PointImport,
    Progress,
    parse_dates,
    prepare_points,
    rejects_csv,
)

__all__ = [
    "ADDRESS_NAMES", "ALIASES", "BE_LAT", "BE_LON", "CRS_NAMES", "DATE_FORMATS", "EXCEL_SUFFIXES",
    "FIELD_LABELS", "GEO_SUFFIXES", "TABLE_SUFFIXES", "TEXT_SUFFIXES", "PointImport", "Progress",
    "TypeCounts", "check_crs", "describe_crs", "detect_columns", "detect_crs", "detect_delimiter",
    "detect_xy_crs", "guess_layer", "layer_mismatch", "list_sheets", "mappable_fields",
    "parse_dates", "parse_numbers", "prepare_points", "read_table", "rejects_csv", "type_counts",
]
