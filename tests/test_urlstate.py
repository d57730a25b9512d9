"""Filters and the selected wijk in the URL: written only when not the default, read leniently."""

import datetime as dt

from cohesie import urlstate
from cohesie.layers import LAYERS

LO, HI = dt.date(2024, 1, 1), dt.date(2026, 12, 1)


def query(**kw):
    base = dict(layers=list(LAYERS), wijken=[], start=LO, end=HI, types={}, statuses={},
                default_start=LO, default_end=HI)
    return urlstate.filters_to_query(**{**base, **kw})


def test_defaults_give_a_clean_url():
    assert query() == {}


def test_choices_round_trip():
    q = query(layers=["meubilair", "signalen"], wijken=["W02"], start=dt.date(2025, 1, 1),
              types={"meubilair": ("gevelbank",)}, statuses={"meubilair": ("voorstel", "goedgekeurd")})
    assert q == {"lagen": "meubilair,signalen", "wijken": "W02", "van": "2025-01-01",
                 "type_meubilair": "gevelbank", "status_meubilair": "voorstel,goedgekeurd"}
    back = urlstate.defaults_from_query(q, wijken=["W01", "W02"], lo=LO, hi=HI)
    assert back == {"f_layers": ["meubilair", "signalen"], "f_wijken": ["W02"],
                    "f_period": (dt.date(2025, 1, 1), HI), "f_types_meubilair": ["gevelbank"],
                    "f_status_meubilair": ["voorstel", "goedgekeurd"]}


def test_no_layer_at_all_is_kept_apart_from_all_layers():
    assert query(layers=[]) == {"lagen": "-"}
    assert urlstate.defaults_from_query({"lagen": "-"}, wijken=[], lo=LO, hi=HI) == {"f_layers": []}


def test_stale_or_broken_links_are_ignored_not_errors():
    params = {"lagen": "meubilair,bomen", "wijken": "W99", "van": "gisteren", "tot": "2030-01-01",
              "status_meubilair": "kapot"}
    back = urlstate.defaults_from_query(params, wijken=["W01"], lo=LO, hi=HI)
    assert back == {"f_layers": ["meubilair"], "f_period": (LO, HI)}


def test_dates_are_clamped_to_the_data_period():
    back = urlstate.defaults_from_query({"van": "2020-05-05", "tot": "2025-02-01"}, wijken=[], lo=LO, hi=HI)
    assert back["f_period"] == (LO, dt.date(2025, 2, 1))
