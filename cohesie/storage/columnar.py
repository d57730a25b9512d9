"""Columnar files next to the database: integer-coded arrays persisted per data version.

The app's point index (:class:`cohesie.counting.PointIndex`) is a set of numpy arrays; building
it from a million stored records costs seconds and a gigabyte of pandas strings. Written once
per data version as plain ``.npy`` files (one per array, numpy's own format), the next server
start reads the arrays back in a fraction of a second.

Layout: ``<data dir>/index/<name>-<key>/`` with ``manifest.json`` (the key, the array names,
dtypes and lengths, and any extra JSON-able values such as the names behind the codes) and one
``<array>.npy`` per array. A folder is written under a temporary name and renamed when
complete, so a reader never sees half a file set; older folders of the same name are removed.

Reading returns ``None`` (never raises) when the folder is missing, written for another key, or
damaged in any way (truncated or unreadable files, a manifest that does not match): the caller
rebuilds and writes again.
"""

from __future__ import annotations

import json
import os
import shutil
import uuid
from pathlib import Path

import numpy as np

FORMAT = 1
MANIFEST = "manifest.json"


def _folder(root: Path, name: str, key: str) -> Path:
    return Path(root) / f"{name}-{key}"


def read_arrays(root: Path, name: str, key: str) -> tuple[dict[str, np.ndarray], dict] | None:
    """The arrays and extra values written by :func:`write_arrays` for ``key``, or ``None``
    when there are none or they cannot be trusted."""
    folder = _folder(root, name, key)
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        if manifest.get("format") != FORMAT or manifest.get("key") != key:
            return None
        arrays = {}
        for column, spec in manifest["arrays"].items():
            values = np.load(folder / f"{column}.npy", allow_pickle=False)
            if str(values.dtype) != spec["dtype"] or list(values.shape) != spec["shape"]:
                return None
            arrays[column] = values
        return arrays, manifest.get("extra", {})
    except (OSError, ValueError, KeyError, TypeError, AttributeError, EOFError):
        # missing, truncated, not numpy, not JSON (json.JSONDecodeError is a ValueError)
        return None


def write_arrays(root: Path, name: str, key: str, arrays: dict[str, np.ndarray], extra: dict | None = None) -> bool:
    """Write ``arrays`` (numeric numpy arrays) and ``extra`` (JSON-able) for ``key``; older
    keys of ``name`` are removed. Returns False when the files could not be written (a full or
    read-only disk): the caller keeps working from memory and builds again next time."""
    root = Path(root)
    final = _folder(root, name, key)
    tmp = root / f".{name}-{key}.{os.getpid()}.{uuid.uuid4().hex[:8]}.tmp"
    try:
        tmp.mkdir(parents=True)
        spec = {}
        for column, values in arrays.items():
            values = np.ascontiguousarray(values)
            if values.dtype == object:
                raise TypeError(f"{column}: object arrays are not stored")
            np.save(tmp / f"{column}.npy", values, allow_pickle=False)
            spec[column] = {"dtype": str(values.dtype), "shape": list(values.shape)}
        (tmp / MANIFEST).write_text(json.dumps({"format": FORMAT, "key": key, "arrays": spec,
                                                "extra": extra or {}}, ensure_ascii=False), encoding="utf-8")
        if final.exists():  # a damaged set of this key (the reader refused it): replace it
            shutil.rmtree(final, ignore_errors=True)
        os.replace(tmp, final)
    except OSError:
        shutil.rmtree(tmp, ignore_errors=True)
        return False
    for old in root.glob(f"{name}-*"):
        if old != final and old.is_dir():
            shutil.rmtree(old, ignore_errors=True)
    return True


# -- a plain table (numbers, booleans and text) as arrays ----------------------------------------
def frame_to_arrays(frame) -> tuple[dict[str, np.ndarray], dict] | None:
    """``frame`` (a pandas DataFrame of numeric, boolean and text columns) as arrays for
    :func:`write_arrays`: a text column becomes integer codes (-1: missing) with its values in
    ``extra``. ``None`` when a column is of another kind (it is not persisted then)."""
    import pandas as pd

    arrays, extra = {}, {"columns": list(map(str, frame.columns)), "text": {}, "dtypes": {}}
    for column in frame.columns:
        values = frame[column]
        name = str(column)
        if pd.api.types.is_bool_dtype(values) or pd.api.types.is_numeric_dtype(values):
            array = values.to_numpy()
            if array.dtype == object:  # a nullable column with gaps
                return None
            arrays[name], extra["dtypes"][name] = array, str(values.dtype)
        elif pd.api.types.is_string_dtype(values) or values.dtype == object:
            if not all(isinstance(v, str) for v in values.dropna()):
                return None
            codes, uniques = pd.factorize(values, use_na_sentinel=True)
            arrays[name] = codes.astype(np.int32)
            extra["text"][name] = [str(v) for v in uniques]
            extra["dtypes"][name] = str(values.dtype)
        else:
            return None
    return arrays, extra


def frame_of_arrays(found: tuple[dict, dict] | None):
    """The DataFrame of :func:`frame_to_arrays` read back (``found``: :func:`read_arrays`'
    answer), or ``None`` when it is missing or does not fit together."""
    import pandas as pd

    if found is None:
        return None
    arrays, extra = found
    try:
        columns, text, dtypes = extra["columns"], extra["text"], extra["dtypes"]
        lengths = {len(arrays[c]) for c in columns}
        if len(lengths) > 1:
            return None
        out = {}
        for column in columns:
            values = arrays[column]
            if column in text:
                labels = np.array(text[column] + [None], dtype=object)  # code -1 → the last: missing
                if len(values) and (values.min() < -1 or values.max() >= len(text[column])):
                    return None
                out[column] = pd.Series(labels[values], dtype=dtypes[column])
            else:
                out[column] = pd.Series(values).astype(dtypes[column])
        return pd.DataFrame(out, columns=columns)
    except (KeyError, TypeError, ValueError, AttributeError):
        return None

