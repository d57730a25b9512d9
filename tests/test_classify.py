"""Quantile and equal-interval bounds computed without mapclassify agree with mapclassify."""

import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cohesie import classify

mapclassify = pytest.importorskip("mapclassify")

values = st.lists(st.one_of(st.integers(0, 40).map(float),
                            st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False)),
                  min_size=2, max_size=120)


def _reference(arr, k, method):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        cls = (mapclassify.Quantiles if method == "quantiles" else mapclassify.EqualInterval)(arr, k=k)
    return np.asarray(cls.bins, dtype="float64")


@settings(max_examples=150, deadline=None)
@given(values, st.integers(3, 7), st.sampled_from(["quantiles", "equal_interval"]))
def test_bounds_equal_mapclassify(vals, k, method):
    arr = np.asarray(vals, dtype="float64")
    if len(np.unique(arr)) < 2:
        return
    ours = (classify.quantile_bounds if method == "quantiles" else classify.equal_interval_bounds)(arr, k)
    np.testing.assert_allclose(ours, _reference(arr, k, method), rtol=1e-12, atol=1e-9)


@pytest.mark.parametrize("method", ["quantiles", "equal_interval"])
def test_classes_as_with_mapclassify_bounds(method):
    """The whole classification (merging, colours, counts) on skewed counts with ties."""
    rng = np.random.default_rng(7)
    vals = pd.Series(np.round(rng.gamma(0.7, 12, size=97)), index=[f"s{i}" for i in range(97)])
    vals.iloc[::9] = np.nan
    got = classify.classify(vals, method=method, k=5)
    known = vals.dropna().to_numpy()
    bins = np.unique(_reference(known, 5, method))
    bins[-1] = max(bins[-1], known.max())
    bins = bins[np.unique(np.searchsorted(bins, known, side="left"))]
    assert got.bins == pytest.approx(bins.tolist())
    assert sum(got.counts) == len(known) and got.no_data == vals.isna().sum()
    assert (got.value_colours[vals.isna()] == classify.NO_DATA_COLOUR).all()


def test_first_map_classes_do_not_import_mapclassify():
    import subprocess
    import sys

    code = ("import sys, pandas as pd; from cohesie import classify; "
            "classify.classify(pd.Series([1.0, 2, 3, 5, 8, 13]), method='quantiles'); "
            "classify.classify(pd.Series([1.0, 2, 3, 5, 8, 13]), method='equal_interval'); "
            "print('mapclassify' in sys.modules, 'scipy.stats' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "False"]


def test_natural_breaks_still_from_mapclassify():
    vals = pd.Series([1.0, 1, 2, 2, 10, 11, 12, 30, 31, 33])
    got = classify.classify(vals, method="natural_breaks", k=3)
    assert got.bins == pytest.approx([2.0, 12.0, 33.0])


def test_quantile_bounds_keep_mapclassify_s_near_duplicate_bound():
    """Found by hypothesis in CI: scipy's interpolation (which mapclassify uses) leaves a bound
    one bit below a tied value, so mapclassify keeps four bounds where np.percentile gives three."""
    arr = np.array([0.0, 0.0, 513110.94207032974, 513110.94207032974, 513110.94207032974])
    ours = classify.quantile_bounds(arr, 6)
    np.testing.assert_array_equal(ours, _reference(arr, 6, "quantiles"))
    assert len(ours) == 4
