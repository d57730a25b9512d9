"""Folium maps; the only module that imports folium.

The map is split so that a filter change never re-sends the sector geometry:

- :func:`base_map` is constant for a data version: background tiles and a small loader that
  fetches the display GeoJSON of sectors and wijken from the app's static files once.
- :func:`overlay` is what filters change: point layers, signal counts per area, and a style
  table (colour, tooltip text per area code) that the loader applies to the loaded shapes.
  It is passed to ``st_folium(feature_group_to_add=...)`` and swapped in place in the browser.

Every user-supplied string goes through :func:`cohesie.text.escape` before it reaches the map.
"""

from __future__ import annotations

import folium
import numpy as np
import pandas as pd
from branca.element import MacroElement
from jinja2 import Template

from cohesie import settings
from cohesie.layers import LAYERS
from cohesie.text import escape, js_literal

NO_TILES = "geen"


class _AreaLoader(MacroElement):
    """Fetches sector and wijk shapes once and exposes ``window.cohesie.setStyle``."""

    _template = Template("""
{% macro script(this, kwargs) %}
(function() {
  var map = {{ this._parent.get_name() }};
  var C = window.cohesie = {map: map, layers: {}, payload: null, selected: null};
  function esc(s) { return String(s); }
  C.styleOf = function(level, code) {
    var p = C.payload, on = p && p.level === level;
    var s = on && p.styles[code];
    var dim = p && p.highlight && p.highlight.length && p.highlight.indexOf(level === 'wijk' ? code : p.wijkOf[code]) < 0;
    if (level === 'wijk') {
      return {color: '#333333', weight: 2.2, fill: on, fillColor: s ? s[0] : '#d9d9d9',
              fillOpacity: on ? (dim ? 0.15 : 0.7) : 0, opacity: dim ? 0.4 : 0.9};
    }
    return {color: '#666666', weight: 0.6, fill: true, fillColor: s ? s[0] : '#d9d9d9',
            fillOpacity: on ? (dim ? 0.15 : 0.7) : 0.05, opacity: dim ? 0.3 : 0.7};
  };
  C.apply = function() {
    ['sector', 'wijk'].forEach(function(level) {
      var layer = C.layers[level];
      if (!layer || !C.payload) { return; }
      layer.eachLayer(function(l) {
        var code = l.feature.properties.code;
        l.setStyle(C.styleOf(level, code));
        var s = C.payload.level === level ? C.payload.styles[code] : null;
        var text = s ? s[1] : l.feature.properties.label;
        if (l.getTooltip()) { l.setTooltipContent(text); } else { l.bindTooltip(text, {sticky: true}); }
      });
      if (C.payload.level === level) { layer.bringToFront(); }
    });
    if (C.layers.wijk && C.payload && C.payload.level !== 'wijk') { C.layers.wijk.bringToFront(); }
  };
  C.setStyle = function(payload) { C.payload = payload; C.apply(); };
  function load(level, url) {
    return fetch(url).then(function(r) { return r.json(); }).then(function(gj) {
      C.layers[level] = L.geoJSON(gj, {style: function(f) { return C.styleOf(level, f.properties.code); },
                                        interactive: true}).addTo(map);
      C.apply();
      if (window.cohesie.overlay) { window.cohesie.overlay.eachLayer(function(l) { if (l.bringToFront) { l.bringToFront(); } }); }
    });
  }
  C.ready = load('sector', {{ this.sectors_url|tojson }}).then(function() { return load('wijk', {{ this.wijken_url|tojson }}); })
    .then(function() { document.body.setAttribute('data-cohesie-loaded', '1'); });
})();
{% endmacro %}
""")

    def __init__(self, sectors_url: str, wijken_url: str):
        super().__init__()
        self._name = "AreaLoader"
        self.sectors_url = sectors_url
        self.wijken_url = wijken_url


class _StyleTable(MacroElement):
    """Applies colours and tooltip texts per area code to the loaded shapes."""

    _template = Template("""
{% macro script(this, kwargs) %}
(function() {
  var payload = {{ this.payload_js }};
  window.cohesie = window.cohesie || {};
  window.cohesie.overlay = {{ this._parent.get_name() }};
  if (window.cohesie.setStyle) { window.cohesie.setStyle(payload); } else { window.cohesie.payload = payload; }
})();
{% endmacro %}
""")

    def __init__(self, payload: dict):
        super().__init__()
        self._name = "StyleTable"
        self.payload_js = js_literal(payload)


def _apply_assets(m: folium.Map, assets: dict) -> None:
    """Point Leaflet's JS/CSS at the app's own static files (works offline)."""
    m.default_js = [(f"leaflet{i}", url) for i, url in enumerate(assets["js"])]
    m.default_css = [(f"leaflet_css{i}", url) for i, url in enumerate(assets["css"])]


def base_map(*, bounds, sectors_url: str, wijken_url: str, assets: dict,
             tiles: str = settings.DEFAULT_TILES, attribution: str = settings.DEFAULT_TILES_ATTRIBUTION,
             height: int = 600) -> folium.Map:
    """The constant part of the map: background and the area loader.

    Parameters
    ----------
    bounds : [[south, west], [north, east]]
        Extent of the municipality in degrees.
    sectors_url, wijken_url : str
        URLs of the display GeoJSON (properties ``code``, ``label``, ``wijk``).
    assets : dict
        ``{"js": [...], "css": [...]}`` URLs of Leaflet served by the app.
    tiles : str
        Tile URL template, or ``"geen"`` for a plain background.
    """
    centre = [(bounds[0][0] + bounds[1][0]) / 2, (bounds[0][1] + bounds[1][1]) / 2]
    m = folium.Map(location=centre, zoom_start=12, tiles=None, control_scale=True,
                   prefer_canvas=False, height=height)
    _apply_assets(m, assets)
    if tiles and tiles != NO_TILES:
        folium.TileLayer(tiles=tiles, attr=attribution, name="achtergrond", max_zoom=19).add_to(m)
    m.fit_bounds(bounds)
    _AreaLoader(sectors_url, wijken_url).add_to(m)
    return m


def _radius(count: np.ndarray, largest: float) -> np.ndarray:
    return 3 + 17 * np.sqrt(count / largest) if largest > 0 else np.full(len(count), 3.0)


def overlay(*, level: str, styles: dict, wijk_of_sector: dict, highlight: list[str],
            points: pd.DataFrame, signal_counts: pd.DataFrame | None) -> folium.FeatureGroup:
    """What filters change: styles per area, point layers and signal counts.

    Parameters
    ----------
    level : {"sector", "wijk"}
        Which shapes carry the choropleth colours.
    styles : dict
        ``{area code: (colour, tooltip text)}``; the text is escaped here.
    wijk_of_sector : dict
        ``{sector code: wijk code}``, used to dim areas outside the selected wijken.
    highlight : list of str
        Selected wijk codes (empty: all).
    points : DataFrame
        Records to draw with ``layer, naam, type, status, lat, lon`` (never sensitive signals).
    signal_counts : DataFrame, optional
        ``lat, lon, naam, signalen`` per area: drawn as proportional circles.
    """
    fg = folium.FeatureGroup(name="selectie")
    payload = {
        "level": level,
        "styles": {str(code): [colour, escape(text)] for code, (colour, text) in styles.items()},
        "wijkOf": wijk_of_sector,
        "highlight": list(highlight),
    }
    _StyleTable(payload).add_to(fg)
    if signal_counts is not None and len(signal_counts):
        largest = float(signal_counts["signalen"].max())
        for row, radius in zip(signal_counts.itertuples(index=False), _radius(signal_counts["signalen"].to_numpy(float), largest)):
            folium.CircleMarker(
                location=[round(row.lat, 5), round(row.lon, 5)], radius=float(round(radius, 1)),
                color=LAYERS["signalen"].colour, weight=1, fill=True, fill_opacity=0.35,
                tooltip=f"{escape(row.naam)}: {int(row.signalen)} signalen",
            ).add_to(fg)
    for row in points.itertuples(index=False):
        lay = LAYERS[row.layer]
        proposal = getattr(row, "status", "") in ("voorstel", "goedgekeurd")
        folium.CircleMarker(
            location=[round(row.lat, 5), round(row.lon, 5)], radius=6,
            color="#ffffff" if not proposal else lay.colour, weight=1.5,
            fill=True, fill_color=lay.colour, fill_opacity=0.95 if not proposal else 0.3,
            dash_array="3" if proposal else None,
            tooltip=f"{escape(lay.label)}: {escape(row.naam)} ({escape(row.type)}, {escape(row.status)})",
        ).add_to(fg)
    return fg


def small_map(*, shapes_geojson: str, points: pd.DataFrame, assets: dict,
              tiles: str = settings.DEFAULT_TILES, attribution: str = settings.DEFAULT_TILES_ATTRIBUTION,
              bounds=None, height: int = 350) -> folium.Map:
    """A self-contained small map (Wijkfiche): one wijk's sectors and its points."""
    m = folium.Map(tiles=None, control_scale=True, height=height)
    _apply_assets(m, assets)
    if tiles and tiles != NO_TILES:
        folium.TileLayer(tiles=tiles, attr=attribution, max_zoom=19).add_to(m)
    folium.GeoJson(shapes_geojson, style_function=lambda f: {
        "color": "#333333", "weight": 1, "fillColor": "#fd8d3c", "fillOpacity": 0.25},
        tooltip=None).add_to(m)
    for row in points.itertuples(index=False):
        lay = LAYERS[row.layer]
        folium.CircleMarker(location=[row.lat, row.lon], radius=6, color="#ffffff", weight=1.5,
                            fill=True, fill_color=lay.colour, fill_opacity=0.95,
                            tooltip=f"{escape(lay.label)}: {escape(row.naam)}").add_to(m)
    if bounds:
        m.fit_bounds(bounds)
    return m
