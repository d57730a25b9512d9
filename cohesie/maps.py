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
#: The value of ``st_folium`` that carries the code of the sector drawn under the pointer at the
#: last click ('' for none): st_folium fills its popup field only for layers with a popup, and
#: these maps have none, so the base map's click handler writes it (pass it in returned_objects).
CLICKED_SECTOR = "last_object_clicked_popup"


def clicked_sector(result: dict | None) -> str | None:
    """The code of the sector the browser drew under the pointer at the last click of an
    ``st_folium`` map made with :func:`base_map`: '' when there was none, None when unknown
    (the browser sent nothing)."""
    value = (result or {}).get(CLICKED_SECTOR)
    return value if isinstance(value, str) else None


class _PlainTemplate:
    """A Jinja template source without any Jinja syntax, rendered as ``jinja2.Template`` would:
    the text itself, less one trailing newline (Jinja's default ``keep_trailing_newline=False``)."""

    def __init__(self, source: str):
        self.source = source

    def render(self, *args, **kwargs) -> str:
        return self.source[:-1] if self.source.endswith("\n") else self.source


def _share_compiled_templates() -> None:
    """Compile a repeated branca element template once per process instead of once per element.

    ``branca.element.Element(template=...)`` compiles its Jinja template in ``__init__``: every
    ``folium.Map`` compiles the same figure template again (py-spy, bench/RESULTS.md). A
    compiled Jinja template is not changed by rendering it, so one per source string serves
    every map and thread. Rendered element scripts (folium's ``Figure.render`` wraps each in an
    ``Element``) are unique (they hold random element ids) and hold no Jinja syntax: they are
    not compiled at all but kept as text (:class:`_PlainTemplate`, rendered as Jinja would).
    """
    import functools

    import branca.element as be

    if getattr(be.Template, "_cohesie_shared", False):
        return
    compile_template = be.Template
    compiled = functools.lru_cache(maxsize=64)(compile_template)

    def template(source, *args, **kwargs):
        if args or kwargs or not isinstance(source, str):
            return compile_template(source, *args, **kwargs)
        if not any(mark in source for mark in ("{{", "{%", "{#", "\r")):
            return _PlainTemplate(source)
        return compiled(source)

    template._cohesie_shared = True
    be.Template = template


def _remember_tile_lookups() -> None:
    """``folium.TileLayer(tiles=url)`` first looks the string up among xyzservices' ~200 named
    providers (``providers.query_name``, a walk over all of them that ends in ``ValueError``
    for a URL) on every map; the answer for a string never changes, so it is kept."""
    import functools

    import xyzservices

    providers = xyzservices.providers
    if getattr(providers.query_name, "_cohesie_kept", False):
        return
    original = providers.query_name

    @functools.lru_cache(maxsize=32)
    def answer(name: str):
        try:
            return original(name), None
        except ValueError as err:
            return None, err

    def query_name(name):
        if not isinstance(name, str):
            return original(name)
        found, err = answer(name)
        if err is not None:
            raise ValueError(*err.args)
        return found

    query_name._cohesie_kept = True
    providers.query_name = query_name


_share_compiled_templates()
_remember_tile_lookups()


class _AreaLoader(MacroElement):
    """Fetches sector and wijk shapes once and exposes ``window.cohesie.setStyle``."""

    _template = Template("""
{% macro script(this, kwargs) %}
(function() {
  var map = {{ this._parent.get_name() }};
  var C = window.cohesie = {map: map, layers: {}, payload: null, selected: null};
  // Chromium hit-tests a click, and reports its pointer events, at the pointer's fractional
  // position in the frame, but gives the mouse events (mousedown, click) whole CSS pixels: with
  // the map's frame at y = 417.17 on the page, Leaflet put a click 0.83 px (20 m at zoom 12)
  // above the pointer, in the next sector. Each mouse event gets the position of the pointer
  // event it follows, before Leaflet reads it.
  var box = map.getContainer(), pointer = null;
  ['pointermove', 'pointerdown', 'pointerup'].forEach(function(type) {
    box.addEventListener(type, function(e) { pointer = e; }, true);
  });
  ['mousemove', 'mousedown', 'mouseup', 'click', 'dblclick', 'contextmenu'].forEach(function(type) {
    box.addEventListener(type, function(e) {
      if (pointer && Math.abs(pointer.clientX - e.clientX) < 1 && Math.abs(pointer.clientY - e.clientY) < 1) {
        // enumerable: Leaflet copies the event with for-in for its 'preclick'
        Object.defineProperty(e, 'clientX', {value: pointer.clientX, enumerable: true, configurable: true});
        Object.defineProperty(e, 'clientY', {value: pointer.clientY, enumerable: true, configurable: true});
      }
    }, true);
  });
  // The sector drawn under the pointer ('' for none), as the browser hits it: markers and wijk
  // borders above it do not count. The drawn shapes are simplified and placed at whole pixels,
  // so near a border they can differ from the stored geometry by a pixel or a few metres; the
  // code is sent with the click (st_folium's popup field, unused here: CLICKED_SECTOR).
  C.sectorAt = function(x, y) {
    var hit = document.elementsFromPoint(x, y);
    for (var i = 0; i < hit.length; i++) {
      var code = hit[i].getAttribute && hit[i].getAttribute('data-cohesie-sector');
      if (code) { return code; }
    }
    return '';
  };
  map.on('click', function(e) {
    if (window.__GLOBAL_DATA__ && e.originalEvent) {
      window.__GLOBAL_DATA__.{{ this.clicked_sector }} = C.sectorAt(e.originalEvent.clientX, e.originalEvent.clientY);
    }
  });
  C.styleOf = function(level, code, wijk) {
    var p = C.payload, on = p && p.level === level;
    var s = on && p.styles[code];
    var dim = p && p.highlight && p.highlight.length && p.highlight.indexOf(level === 'wijk' ? code : wijk) < 0;
    s = s && [p.palette[s[0]], s[1]];
    var flagged = on && p.flagged && p.flagged.indexOf(code) >= 0;
    if (level === 'wijk') {
      return {color: flagged ? p.flagColour : '#333333', weight: flagged ? 4 : 2.2, fill: on,
              fillColor: s ? s[0] : '#d9d9d9',
              fillOpacity: on ? (dim ? 0.15 : 0.7) : 0, opacity: dim ? 0.4 : 0.9};
    }
    return {color: flagged ? p.flagColour : '#666666', weight: flagged ? 3 : 0.6, fill: true,
            fillColor: s ? s[0] : '#d9d9d9',
            fillOpacity: on ? (dim ? 0.15 : 0.7) : 0.05, opacity: flagged ? 1 : (dim ? 0.3 : 0.7)};
  };
  C.apply = function() {
    ['sector', 'wijk'].forEach(function(level) {
      var layer = C.layers[level];
      if (!layer || !C.payload) { return; }
      layer.eachLayer(function(l) {
        var code = l.feature.properties.code;
        l.setStyle(C.styleOf(level, code, l.feature.properties.wijk));
        var s = C.payload.level === level ? C.payload.styles[code] : null;
        var text = s ? s[1] : l.feature.properties.label;
        if (l.getTooltip()) { l.setTooltipContent(text); } else { l.bindTooltip(text, {sticky: true}); }
      });
      if (C.payload.level === level) { layer.bringToFront(); }
    });
    if (C.layers.wijk && C.payload && C.payload.level !== 'wijk') { C.layers.wijk.bringToFront(); }
    // a flagged sector's red outline stays visible above the wijk borders
    if (C.layers.sector && C.payload && C.payload.level === 'sector' && C.payload.flagged) {
      C.layers.sector.eachLayer(function(l) {
        if (C.payload.flagged.indexOf(l.feature.properties.code) >= 0) { l.bringToFront(); }
      });
    }
  };
  C.setStyle = function(payload) { C.payload = payload; C.apply(); };
  function load(level, url) {
    return fetch(url).then(function(r) { return r.json(); }).then(function(gj) {
      C.layers[level] = L.geoJSON(gj, {style: function(f) { return C.styleOf(level, f.properties.code, f.properties.wijk); },
                                        interactive: true}).addTo(map);
      C.layers[level].eachLayer(function(l) {
        if (l._path) { l._path.setAttribute('data-cohesie-' + level, l.feature.properties.code); }
      });
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
        self.clicked_sector = CLICKED_SECTOR


class _Overlay(MacroElement):
    """Everything a filter changes, as one compact JSON payload drawn by a few lines of JS.

    One folium ``CircleMarker`` costs about 700 bytes of generated JavaScript; here a point is
    a short array, so a filter change on the demo stays far below 100 KB.
    """

    _template = Template("""
{% macro script(this, kwargs) %}
(function() {
  var payload = {{ this.payload_js }};
  var fg = {{ this._parent.get_name() }};
  payload.circles.forEach(function(c) {
    L.circleMarker([c[0], c[1]], {radius: c[2], color: payload.circleColour, weight: 1, fill: true,
                                  fillOpacity: 0.35}).bindTooltip(c[3], {sticky: true}).addTo(fg);
  });
  (payload.alerts || []).forEach(function(a) {
    L.marker([a[0], a[1]], {icon: L.divIcon({className: 'cohesie-alert', iconSize: [22, 22], iconAnchor: [11, 11],
      html: '<div style="width:22px;height:22px;border-radius:50%;background:' + payload.flagColour +
            ';border:2px solid #ffffff;box-shadow:0 0 3px #000;color:#ffffff;font:700 15px/18px sans-serif;' +
            'text-align:center">!</div>'}), keyboard: false, zIndexOffset: 1000})
      .bindTooltip(a[2].join('<br>'), {direction: 'top', offset: [0, -12]}).addTo(fg);
  });
  payload.points.forEach(function(p) {
    var colour = payload.layerColours[p[2]], proposal = p[3] === 1, flagged = p[3] === 2;
    L.circleMarker([p[0], p[1]], {radius: flagged ? 8 : 6, color: proposal ? colour : (flagged ? '#000000' : '#ffffff'),
                                  weight: flagged ? 3 : 1.5, fill: true,
                                  fillColor: colour, fillOpacity: proposal ? 0.3 : 0.95,
                                  dashArray: proposal || flagged ? '3' : null}).bindTooltip(p[4], {sticky: true}).addTo(fg);
  });
  window.cohesie = window.cohesie || {};
  window.cohesie.overlay = fg;
  if (window.cohesie.setStyle) { window.cohesie.setStyle(payload); } else { window.cohesie.payload = payload; }
})();
{% endmacro %}
""")

    def __init__(self, payload_js: str):
        super().__init__()
        self._name = "Overlay"
        self.payload_js = payload_js  # overlay_payload's JavaScript literal


class _MetricScale(MacroElement):
    """Leaflet's scale bar in metres and kilometres only (``control_scale=True`` in folium 0.20
    adds miles and feet too, and has no option to leave them out)."""

    _template = Template("""
{% macro script(this, kwargs) %}
L.control.scale({imperial: false, metric: true}).addTo({{ this._parent.get_name() }});
{% endmacro %}
""")

    def __init__(self):
        super().__init__()
        self._name = "MetricScale"


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
    # keyboard=False: Leaflet's keyboard handler focuses the map container on the first
    # mousedown, and when the map runs past the bottom of the window the page then scrolls and
    # the click lands on another sector (issue 10)
    m = folium.Map(location=centre, zoom_start=12, tiles=None, control_scale=False,
                   prefer_canvas=False, height=height, keyboard=False)
    _MetricScale().add_to(m)
    _apply_assets(m, assets)
    if tiles and tiles != NO_TILES:
        folium.TileLayer(tiles=tiles, attr=attribution, name="achtergrond", max_zoom=19).add_to(m)
    m.fit_bounds(bounds)
    _AreaLoader(sectors_url, wijken_url).add_to(m)
    return m


def _radius(count: np.ndarray, largest: float) -> np.ndarray:
    return 3 + 17 * np.sqrt(count / largest) if largest > 0 else np.full(len(count), 3.0)


def _rounded(values) -> list[float]:
    """Degrees rounded to 1e-5 (about 1 m): enough for a point on a city map."""
    return np.round(np.asarray(values, dtype="float64"), 5).tolist()


def overlay(*, level: str, styles: dict, highlight: list[str], points: pd.DataFrame,
            signal_counts: pd.DataFrame | None, layer_labels: dict | None = None, signal_word: str = "signalen",
            alerts: pd.DataFrame | None = None, flagged: list[str] | None = None,
            flag_colour: str = "#d7191c") -> folium.FeatureGroup:
    """What filters change: styles per area, point layers and signal counts
    (:func:`overlay_group` of :func:`overlay_payload`; the arguments are those of the latter)."""
    return overlay_group(overlay_payload(
        level=level, styles=styles, highlight=highlight, points=points, signal_counts=signal_counts,
        layer_labels=layer_labels, signal_word=signal_word, alerts=alerts, flagged=flagged, flag_colour=flag_colour))


def overlay_group(payload_js: str) -> folium.FeatureGroup:
    """The map's overlay layer for a payload of :func:`overlay_payload` (a new layer on every
    call: st_folium attaches the layer it is given to its map)."""
    fg = folium.FeatureGroup(name="selectie")
    _Overlay(payload_js).add_to(fg)
    return fg


def overlay_payload(*, level: str, styles: dict, highlight: list[str], points: pd.DataFrame,
                    signal_counts: pd.DataFrame | None, layer_labels: dict | None = None, signal_word: str = "signalen",
                    alerts: pd.DataFrame | None = None, flagged: list[str] | None = None,
                    flag_colour: str = "#d7191c") -> str:
    """What filters change, as the JavaScript literal the overlay layer draws: styles per area,
    point layers and signal counts (a pure function of its arguments: a view drawn again can
    reuse it).

    Parameters
    ----------
    level : {"sector", "wijk"}
        Which shapes carry the choropleth colours.
    styles : dict
        ``{area code: (colour, tooltip text)}``; the text is escaped here, then each new
        line becomes a line break.
    highlight : list of str
        Selected wijk codes (empty: all); areas outside them are dimmed.
    points : DataFrame
        Records to draw with ``layer, naam, type, status, lat, lon`` (never sensitive signals);
        an optional ``opmerking_kaart`` text flags a point (thick dashed outline, in its tooltip).
    signal_counts : DataFrame, optional
        ``lat, lon, naam, signalen`` per area: drawn as proportional circles; an optional
        ``label`` column is shown instead of the count (e.g. "< 5") and an optional ``radius``
        column (pixels) replaces the radius computed from the counts (a hidden count must not
        show in its circle's size).
    layer_labels : dict, optional
        Layer name → label in the user's language.
    alerts : DataFrame, optional
        ``lat, lon, naam, lines`` per flagged area ("Opvallend", early warning): a red "!"
        marker whose tooltip is the area's name and its lines (escaped here).
    flagged : list of str, optional
        Codes of the areas of ``level`` outlined in ``flag_colour``.

    Each sector's wijk (for dimming) comes from the display GeoJSON, not from here.
    """
    palette: list[str] = []
    index: dict[str, int] = {}
    table = {}
    for code, (colour, text) in styles.items():
        if colour not in index:
            index[colour] = len(palette)
            palette.append(colour)
        table[str(code)] = [index[colour], escape(text).replace("\n", "<br>")]  # a new line after escaping
    circles: list = []
    if signal_counts is not None and len(signal_counts):
        counts = signal_counts["signalen"].to_numpy(float)
        radius = (signal_counts["radius"].astype(float).round(1).tolist() if "radius" in signal_counts
                  else np.round(_radius(counts, float(counts.max())), 1).tolist())
        shown = (signal_counts["label"] if "label" in signal_counts
                 else pd.Series(counts.astype(int), index=signal_counts.index).astype(str))
        circles = [[la, lo, r, f"{escape(n)}: {escape(c)} {escape(signal_word)}"] for la, lo, r, n, c in zip(
            _rounded(signal_counts["lat"]), _rounded(signal_counts["lon"]), radius,
            signal_counts["naam"], shown)]
    layer_names = list(LAYERS)
    tips = {k: escape((layer_labels or {}).get(k, lay.label)) for k, lay in LAYERS.items()}
    notes = points["opmerking_kaart"] if "opmerking_kaart" in points else pd.Series("", index=points.index)
    pts = [[la, lo, layer_names.index(layer), 2 if note else int(status in ("voorstel", "goedgekeurd")),
            f"{tips[layer]}: {escape(naam)} ({escape(kind)}, {escape(status)})"
            + (f" — {escape(note)}" if note else "")]
           for la, lo, layer, naam, kind, status, note in zip(
               _rounded(points["lat"]), _rounded(points["lon"]), points["layer"], points["naam"],
               points["type"], points["status"], notes.fillna(""))]
    payload = {
        "level": level, "palette": palette, "styles": table, "highlight": list(highlight),
        "layerColours": [LAYERS[k].colour for k in layer_names],
        "circleColour": LAYERS["signalen"].colour, "circles": circles, "points": pts,
        "flagged": [str(c) for c in (flagged or [])], "flagColour": flag_colour,
        "alerts": [[la, lo, [f"<strong>{escape(n)}</strong>", *[escape(x) for x in lines]]]
                   for la, lo, n, lines in zip(_rounded(alerts["lat"]), _rounded(alerts["lon"]), alerts["naam"],
                                               alerts["lines"])] if alerts is not None and len(alerts) else [],
    }
    return js_literal(payload)


def small_map(*, shapes_geojson: str, points: pd.DataFrame | None = None, assets: dict,
              tiles: str = settings.DEFAULT_TILES, attribution: str = settings.DEFAULT_TILES_ATTRIBUTION,
              bounds=None, height: int = 350, layer_labels: dict | None = None,
              fill_property: str | None = None, tooltip_property: str | None = None) -> folium.Map:
    """A self-contained small map (Wijkfiche, Vergelijken): one area's sectors and its points.

    ``layer_labels`` (layer → label in the user's language) names the layers in the tooltips.
    ``fill_property`` names the feature property holding each sector's fill colour (a
    choropleth in shared classes, Vergelijken); ``tooltip_property`` the one holding its tooltip.
    """
    m = folium.Map(tiles=None, control_scale=False, height=height, keyboard=False)
    _MetricScale().add_to(m)
    _apply_assets(m, assets)
    if tiles and tiles != NO_TILES:
        folium.TileLayer(tiles=tiles, attr=attribution, max_zoom=19).add_to(m)
    folium.GeoJson(shapes_geojson, style_function=lambda f: {
        "color": "#333333", "weight": 1,
        "fillColor": f["properties"][fill_property] if fill_property else "#fd8d3c",
        "fillOpacity": 0.8 if fill_property else 0.25},
        tooltip=folium.GeoJsonTooltip([tooltip_property], labels=False) if tooltip_property else None).add_to(m)
    for row in (points if points is not None else pd.DataFrame()).itertuples(index=False):
        lay = LAYERS[row.layer]
        folium.CircleMarker(location=[row.lat, row.lon], radius=6, color="#ffffff", weight=1.5,
                            fill=True, fill_color=lay.colour, fill_opacity=0.95,
                            tooltip=f"{escape((layer_labels or {}).get(row.layer, lay.label))}: "
                                    f"{escape(row.naam)}").add_to(m)
    if bounds:
        m.fit_bounds(bounds)
    return m


def add_placement_marks(fg: folium.FeatureGroup, *, click: tuple[float, float] | None = None,
                        radius_m: float | None = None, suggestions: pd.DataFrame | None = None,
                        gaps_geojson: str | None = None, click_label: str = "Gekozen plek") -> folium.FeatureGroup:
    """Add what the placement page shows on top of :func:`overlay`.

    Parameters
    ----------
    click : (lat, lon), optional
        The spot the user clicked: a marker and a circle of ``radius_m`` metres.
    suggestions : DataFrame, optional
        ``lat, lon, rang, winst`` of suggested sites; an optional ``label`` column is the
        tooltip (in the user's language, numbers formatted).
    click_label : str
        Tooltip of the clicked spot.
    gaps_geojson : str, optional
        GeoJSON (EPSG:4326) of the uncovered parts of sectors ("gaten").
    """
    if gaps_geojson:
        folium.GeoJson(gaps_geojson, name="gaten", style_function=lambda f: {
            "color": "#7a0177", "weight": 0.5, "fillColor": "#7a0177", "fillOpacity": 0.45},
            interactive=False).add_to(fg)
    if suggestions is not None:
        for row in suggestions.itertuples(index=False):
            folium.CircleMarker(location=[round(row.lat, 6), round(row.lon, 6)], radius=10,
                                color="#000000", weight=2, fill=True, fill_color="#ffff33", fill_opacity=0.9,
                                tooltip=escape(getattr(row, "label", None)
                                               or f"Suggestie {int(row.rang)}: +{int(round(row.winst))}"),
                                ).add_to(fg)
    if click is not None:
        lat, lon = click
        if radius_m:
            folium.Circle(location=[lat, lon], radius=float(radius_m), color="#000000", weight=1.5,
                          dash_array="6", fill=False, interactive=False).add_to(fg)
        folium.CircleMarker(location=[lat, lon], radius=7, color="#000000", weight=2, fill=True,
                            fill_color="#ffffff", fill_opacity=1, tooltip=escape(click_label)).add_to(fg)
    return fg


def area_labels(fg: folium.FeatureGroup, labels, *, font_px: int = 18) -> folium.FeatureGroup:
    """Add permanent area names (e.g. wijk names) to ``fg``, centred on their points.

    Parameters
    ----------
    labels : iterable of (lat, lon, text) or (lat, lon, text, strong)
        Where and what to write; ``strong`` labels (the selected area) are larger and bolder.
        The text is escaped here.
    font_px : int
        Font size in CSS pixels (18 or more stays readable on a projector).

    The labels do not take the pointer, so hovering and clicking reach the shapes below.
    """
    for label in labels:
        lat, lon, text, *rest = label
        strong = bool(rest and rest[0])
        size, weight = (round(font_px * 1.25), 800) if strong else (font_px, 600)
        html = (f'<span class="cohesie-area-label" style="position:absolute;left:0;top:0;'
                f'transform:translate(-50%,-50%);white-space:nowrap;font:{weight} {size}px/1.15 '
                f'system-ui,-apple-system,\'Segoe UI\',Roboto,Arial,sans-serif;color:#111111;'
                f'text-shadow:0 0 3px #ffffff,0 0 3px #ffffff,0 0 4px #ffffff,0 0 6px #ffffff;'
                f'pointer-events:none">{escape(text)}</span>')
        folium.Marker(location=[round(float(lat), 6), round(float(lon), 6)], interactive=False,
                      keyboard=False,
                      icon=folium.DivIcon(html=html, icon_size=(0, 0), icon_anchor=(0, 0),
                                          class_name="cohesie-area-label-anchor")).add_to(fg)
    return fg
