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
