"""The only module of ``cohesie`` that imports streamlit: cached loading, the shared frame
(demo banner, data-source line), the shared filters and small rendering helpers."""

from __future__ import annotations

import contextlib
import datetime as dt
from dataclasses import dataclass, field

import geopandas as gpd
import pandas as pd
import streamlit as st

from cohesie import counting, dataset, settings, urlstate, views
from cohesie.indicators import Filters
from cohesie.layers import LAYERS
from cohesie.i18n import LANGUAGES, layer_label, translate
from cohesie.dataset import Dataset
from cohesie.storage import Store, ensure_map_assets, open_store

FILTER_KEYS = ("f_layers", "f_wijken", "f_period", "f_types", "f_status")


def lang() -> str:
    """The chosen language (Dutch unless the user switched to English)."""
    return st.session_state.get("lang", "nl")


def t(text: str, **values) -> str:
    """``text`` from the catalogue (:mod:`cohesie.i18n`) in the chosen language."""
    return translate(text, lang(), **values)


def language_switch() -> None:
    st.sidebar.segmented_control(t("Taal"), list(LANGUAGES), format_func=LANGUAGES.get, key="lang",
                                 default="nl")
    if st.session_state.get("lang") is None:  # clicking the chosen option again unselects it
        st.session_state["lang"] = "nl"


@dataclass
class Loaded:
    """One data version with what every page derives from it (read-only, shared).

    On PostGIS ``data.points`` holds every layer except the signals (millions of rows stay in
    the database); counts that involve signals go through :func:`area_counts`,
    :func:`layer_totals` and :func:`signals_per_month`, which ask the database there
    (:class:`cohesie.counting.DatabaseCounts`, cached per filters).
    """

    data: Dataset
    areas: dict[str, gpd.GeoDataFrame]
    urls: dict[str, str]
    bounds: list
    index: counting.PointIndex | None = None
    centroids: dict = None
    summary: pd.DataFrame | None = None
    signals_in_database: bool = False
    location: str = ""
    map_statics: object = None  # cohesie.mapview.MapStatics: the Kaart's per-version work
    wijk_options: dict | None = None  # views.wijk_options(data.sectors), for the sidebar
    sidebar_statics: dict | None = None  # sidebar_statics(summary): the period's ends, types per layer
    memo: dict = field(default_factory=dict)  # small values derived from this version alone (per_version)


def per_version(current: Loaded, key: tuple, make):
    """``make()`` once per data version and ``key`` (kept on ``current``; for small values
    that depend on nothing else, e.g. a wijk's selection text per language)."""
    try:
        return current.memo[key]
    except KeyError:
        value = current.memo[key] = make()
        return value


def store() -> Store:
    """The data directory's SQLite file, or the PostGIS database of ``$COHESIE_DB_URL``."""
    return open_store(settings.data_dir())


def _static_url(rel: str) -> str:
    base = (st.get_option("server.baseUrlPath") or "").strip("/")
    return f"/{base + '/' if base else ''}app/static/{rel}"


@st.cache_resource(show_spinner=False, max_entries=4)
def _load(location: str, version: int) -> Loaded:
    # keyed on where the data lives and its version stored in that database: every instance
    # on a shared database reloads on the first rerun after anyone's write
    s = store()
    in_db = s.counts_in_database
    # both backends load only the non-signal records into pandas; on SQLite the signals come
    # from the point index persisted per data version (cohesie.storage.columnar), on PostGIS
    # they stay in the database
    data = dataset.load(s, point_layers=counting.NON_EVENT_LAYERS)
    if data.empty:
        return Loaded(data, {}, {}, [])
    frames = views.area_frames(data.sectors, store=s)  # the dissolved levels persisted per sector set
    names = views.display_files(s, data.sectors, frames["wijk"])  # made once per geometry
    urls = {level: _static_url(f"generated/{name}") for level, name in names.items()}
    from cohesie import spatial

    index = (counting.PointIndex(data.points, data.sectors) if in_db
             else counting.load_index(s, data.points, data.sectors, version=data.version))
    current = Loaded(data, frames, urls, views.bounds_latlon(data.sectors), index=index,
                     centroids={level: spatial.centroids_lonlat(frame) for level, frame in frames.items()},
                     summary=s.point_summary() if in_db else index.point_summary(),
                     signals_in_database=in_db, location=location)
    _add_per_version(current)
    _keep_out_of_gc()
    return current


def _add_per_version(current: Loaded) -> None:
    """Work that depends only on the data version, done here once instead of on every rerun."""
    from cohesie import mapview

    current.map_statics = mapview.map_statics(current.data, current.areas)
    current.wijk_options = views.wijk_options(current.data.sectors)
    current.sidebar_statics = sidebar_statics(current.summary)


def sidebar_statics(summary: pd.DataFrame) -> dict:
    """What the sidebar derives from the records' summary alone (once per data version): the
    first and last record date (``None`` when there is none) and the types present per layer."""
    first, last = summary["eerste"].dropna(), summary["laatste"].dropna()
    return {"first": first.min().date() if len(first) else None,
            "last": last.max().date() if len(last) else None,
            "types": {layer: sorted(set(summary.loc[summary["layer"] == layer, "type"].dropna()) | set(lay.types))
                      for layer, lay in LAYERS.items()}}


def wijk_options(current: Loaded) -> dict[str, str]:
    """``{wijk code: "naam (code)"}`` of the loaded version (kept when it was loaded)."""
    return current.wijk_options if current.wijk_options is not None else views.wijk_options(current.data.sectors)


def _keep_out_of_gc() -> None:
    """Move every object alive now (modules, the loaded data) out of the garbage collector's
    reach.

    Streamlit runs a full ``gc.collect()`` after every rerun (``runner.postScriptGC``); with a
    loaded dataset that walk cost about 100 ms of each demo rerun, for objects that live until
    the next data version anyway. Unfreezing first lets objects of a dropped version (cycles
    included) be collected.
    """
    import gc

    gc.unfreeze()
    gc.collect()
    gc.freeze()


@st.cache_data(show_spinner=False, max_entries=256)
def _counted_in_database(location: str, version: int, what: str, level: str | None, filters: Filters):
    # keyed on (data version, filters): one user's edit bumps the version for every instance
    # the store of now (not one kept with the loaded data): the same location may name another
    # schema of the same server between tests
    counts = counting.DatabaseCounts(store(), _load(location, version).data.sectors)
    if what == "areas":
        return counts.area_counts(level, filters)
    if what == "layers":
        return counts.layer_totals(filters)
    return counts.signals_per_month(filters)


def area_counts(current: Loaded, level: str, filters: Filters) -> pd.DataFrame:
    """Counted records per area of ``level`` and layer (+ ``zorgsignalen``) under ``filters``:
    numpy over the loaded records, or SQL in the database on PostGIS."""
    if current.signals_in_database:
        return _counted_in_database(current.location, current.data.version, "areas", level, filters)
    return current.index.area_counts(level, filters)


def layer_totals(current: Loaded, filters: Filters) -> pd.Series:
    """Counted records per layer under ``filters``."""
    if current.signals_in_database:
        return _counted_in_database(current.location, current.data.version, "layers", None, filters)
    return current.index.layer_totals(filters)


def signals_per_month(current: Loaded, filters: Filters) -> pd.DataFrame:
    """Signals per month and category under ``filters``."""
    if current.signals_in_database:
        return _counted_in_database(current.location, current.data.version, "months", None, filters)
    return current.index.signals_per_month(filters)


def counts_per_period(current: Loaded, level: str, filters: Filters, *, per: str = "year") -> pd.DataFrame:
    """:func:`cohesie.trends.counts_per_period` over the whole data period: numpy over the
    loaded records, or per period in the database on PostGIS (where the signals stay); kept per
    (data version, level, filters, per) so that the Kaart's year slider answers from memory."""
    if not current.location:  # not loaded through _load (tests): nothing to key the cache on
        return _counts_per_period(current, level, filters, per)
    return _counts_per_period_cached(current.location, current.data.version, level, filters, per)


@st.cache_data(show_spinner=False, max_entries=64)
def _counts_per_period_cached(location: str, version: int, level: str, filters: Filters, per: str) -> pd.DataFrame:
    return _counts_per_period(_load(location, version), level, filters, per)


def _counts_per_period(current: Loaded, level: str, filters: Filters, per: str) -> pd.DataFrame:
    from cohesie import trends

    periods = trends.data_periods(current.summary, per=per, filters=filters)
    engine = _CachedCounts(current) if current.signals_in_database else current.index
    return trends.counts_per_period(None, current.data.sectors, level=level, per=per, filters=filters,
                                    periods=periods, engine=engine)


class _CachedCounts:
    """The database's counts through the cache of :func:`area_counts` (``period_counts`` of
    :class:`cohesie.counting.DatabaseCounts`, each period's query kept per filters)."""

    def __init__(self, current: Loaded):
        self.current = current

    def area_counts(self, level: str, filters: Filters) -> pd.DataFrame:
        return area_counts(self.current, level, filters)

    def period_counts(self, level: str, periods, filters: Filters) -> list[pd.DataFrame]:
        return counting.summed_periods(self.area_counts, level, periods, filters)


def map_points(current: Loaded, filters: Filters) -> pd.DataFrame:
    """Records drawn as points under ``filters`` (never signals)."""
    return current.index.map_points(filters)


def loaded() -> Loaded:
    """The current data version (re-read when another user or process changed it).

    When the data cannot be read (the database is unreachable or its connection was cut, the
    disk is full) the page shows the Dutch message and stops; the next rerun tries again.
    """
    with stop_on_error():
        s = store()
        key = (s.location, s.data_version())
        if key in _LOADED:
            return _load(*key)
        # the first visit after a start or a new version: not a blank page while it loads
        with st.spinner(t("Gegevens laden…")):
            current = _load(*key)
        if len(_LOADED) > 64:
            _LOADED.clear()
        _LOADED.add(key)
        return current


_LOADED: set = set()  # (location, version) loaded in this process (the spinner is shown once)


UNEXPECTED_ERROR = ("Er ging iets mis bij het tonen van deze pagina ({time}). Herlaad de pagina (F5) en "
                    "probeer het opnieuw. Blijft het gebeuren, meld het dan aan de beheerder van "
                    "Cohesiekaart met dit tijdstip en wat u deed: de details staan in het logboek van de server.")


def error_details_shown() -> bool:
    """Whether Streamlit shows an exception's details in the browser (``client.showErrorDetails``
    "full" or "stacktrace", e.g. ``streamlit run dashboard.py --client.showErrorDetails full``
    in development); the project's config sets "none"."""
    return st.get_option("client.showErrorDetails") in ("full", "stacktrace", True)


@contextlib.contextmanager
def stop_on_error():
    """Show a :class:`~cohesie.errors.CohesieError` that no page handled as one message and
    end this run (no traceback); dashboard.py runs every page inside it.

    Any other exception is a bug: it goes to the server log with its traceback and the page
    shows a calm Dutch message (what happened, what to do), unless error details are switched
    on (:func:`error_details_shown`): then Streamlit shows the exception as usual, its own
    widget errors included.
    """
    from cohesie.errors import CohesieError

    try:
        yield
    except CohesieError as err:
        st.error(str(err))
        st.stop()
    except Exception:  # noqa: BLE001 - a bug: logged with its traceback, never shown
        if error_details_shown():
            raise
        import datetime

        from streamlit.logger import get_logger

        get_logger("cohesie").exception("Onverwachte uitzondering op een pagina")
        st.error(t(UNEXPECTED_ERROR, time=datetime.datetime.now().strftime("%d/%m/%Y %H:%M:%S")),
                 icon=":material/error:")
        st.stop()


@st.cache_resource
def map_assets() -> dict:
    rel = ensure_map_assets()
    return {kind: [_static_url(p) for p in paths] for kind, paths in rel.items()}


def frame(current: Loaded, *, at_bottom: bool = False) -> None:
    """Shared top of every page: demo banner and the data-source line.

    ``at_bottom=True`` (the Presentatie page) draws nothing here but the empty-data stop; the
    page then calls :func:`frame_footer` at its end, so the council sees the title first and
    the demo notice and source as a footer.
    """
    data = current.data
    if data.empty:
        st.error(t("Er zijn nog geen gegevens in {map}. Maak de demo met `python -m cohesie demo` of importeer "
                   "sectoren met `python -m cohesie import-sectors`.", map=store().data_dir))
        st.stop()
    if not at_bottom:
        frame_footer(current)


def frame_footer(current: Loaded) -> None:
    """The demo banner and the data-source line (at the top of a page, or as its footer)."""
    data = current.data
    if data.is_demo:
        st.warning(t("**Demogegevens**: dit is de fictieve gemeente {gemeente} (namen, vormen en cijfers "
                     "verzonnen). Echte gegevens laden: zie *Gegevens*.", gemeente=data.meta.get("gemeente")),
                   icon="⚠️")
    meta = data.meta
    st.caption(t("Gemeente {gemeente} (NIS {nis}) · sectoren: {sectoren} · bevolking: {bevolking} · "
                 "gegevensversie {versie}", gemeente=meta.get("gemeente", "?"), nis=meta.get("nis", "?"),
                 sectoren=meta.get("bron_sectoren", "?"),
                 bevolking=meta.get("bron_bevolking", t("niet geladen")), versie=data.version))
    if meta.get("attributie_wijken"):  # the wijk source's licence asks for it, verbatim
        st.caption(meta["attributie_wijken"])


def sticky(widget, key: str, default, *args, param: str = "default", **kwargs):
    """A widget whose value survives a language switch.

    A multiselect keeps its choice as option *texts*, so after the language changes its old
    choice no longer matches and is dropped. Each language therefore gets its own widget key
    (Dutch keeps ``key``); the value is kept in ``_keep_<key>`` and given to a new widget as its
    ``param`` (``default`` or ``value``), which a widget with state of its own ignores.
    """
    kept = f"_keep_{key}"
    wkey = key if lang() == "nl" else f"{key}_{lang()}"
    value = widget(*args, key=wkey, **{param: st.session_state.get(kept, default)}, **kwargs)
    st.session_state[kept] = value
    return value


def sticky_choice(widget, key: str, options: list, default, *args, **kwargs):
    """A radio or selectbox whose choice survives a language switch (as :func:`sticky`: one
    widget key per language, the chosen option kept in ``_keep_<key>`` and given as ``index``)."""
    kept = f"_keep_{key}"
    wkey = key if lang() == "nl" else f"{key}_{lang()}"
    chosen = st.session_state.get(kept, default)
    index = options.index(chosen) if chosen in options else options.index(default)
    value = widget(*args, options, key=wkey, index=index, **kwargs)
    st.session_state[kept] = value
    return value


def sidebar_filters(current: Loaded) -> Filters:
    """Layer, type, wijk, period and status filters in the sidebar, shared by all pages."""
    data = current.data
    summary = current.summary
    sb = st.sidebar
    sb.header(t("Filters"))
    statics = current.sidebar_statics if current.sidebar_statics is not None else sidebar_statics(summary)
    lo = statics["first"] or dt.date(2000, 1, 1)
    hi = max(statics["last"], dt.date.today()) if statics["last"] else dt.date.today()
    if not st.session_state.get("_url_read"):  # a shared link: its filters are the starting values
        st.session_state["_url_read"] = True
        for key, value in urlstate.defaults_from_query(
                st.query_params, wijken=list(data.sectors["wijk_code"].astype(str).unique()), lo=lo, hi=hi).items():
            st.session_state[f"_keep_{key}"] = value
    layer_names = list(LAYERS)
    chosen = sticky(sb.multiselect, "f_layers", layer_names, t("Lagen"), layer_names,
                    format_func=lambda k, lg=lang(): layer_label(k, lg))
    wijken = wijk_options(current)
    sel_wijken = sticky(sb.multiselect, "f_wijken", [], t("Wijken"), list(wijken), format_func=wijken.get,
                        placeholder=t("alle wijken"))
    period = _period_filter(sb, lo, hi)
    start, end = (period + (None, None))[:2] if isinstance(period, tuple) else (period, None)
    types, statuses = {}, {}
    # drawn only while open (a rerun when it opens or closes): ten multiselects in a closed
    # expander cost the browser as much work as the map before it draws it; what is chosen is
    # kept in session state (as for a language switch, see sticky) and applies while closed
    types_box = sb.expander(t("Type en status per laag"), key="f_types_open", on_change="rerun")
    for layer in chosen:
        lay = LAYERS[layer]
        present = statics["types"][layer]
        label = layer_label(layer, lang())
        kept = f"_keep_f_types_{layer}"  # a link may name a type this data does not have
        if kept in st.session_state:
            st.session_state[kept] = [v for v in st.session_state[kept] if v in present]
        if not types_box.open:
            types[layer] = tuple(st.session_state.get(kept, ()))
            statuses[layer] = tuple(v for v in st.session_state.get(f"_keep_f_status_{layer}", ()) if v in lay.statuses)
            continue
        with types_box:
            types[layer] = tuple(sticky(st.multiselect, f"f_types_{layer}", [], f"{label}: {t(lay.type_label)}",
                                        present, placeholder=t("alle")))
            statuses[layer] = tuple(sticky(st.multiselect, f"f_status_{layer}", [], f"{label}: {t('status')}",
                                           list(lay.statuses), placeholder=_status_placeholder(layer)))
    chosen_kinds = [f"{layer_label(k, lang())}: {', '.join([*types[k], *statuses[k]])}" for k in chosen
                    if types[k] or statuses[k]]
    if chosen_kinds and not types_box.open:  # a filter that applies must be visible
        sb.caption(t("Type en status: {keuze}", keuze="; ".join(chosen_kinds)))
    _write_query(urlstate.filters_to_query(
        layers=chosen, wijken=sel_wijken, start=start, end=end, types=types, statuses=statuses,
        default_start=lo, default_end=hi))
    return Filters(start=pd.Timestamp(start) if start else None,
                   end=pd.Timestamp(end) + pd.Timedelta(hours=23, minutes=59) if end else None,
                   layers=tuple(chosen), types=types, statuses=statuses, wijken=tuple(sel_wijken))


def _period_filter(sb, lo: dt.date, hi: dt.date):
    """The period: always shown as text, its date picker drawn only while "Periode kiezen" is
    open (the calendar costs the browser about as much work before the map as the map itself).
    Closed, the period chosen before (or given by a link or ``session_state["f_period"]``)
    applies, kept within the data's first and last day."""
    from cohesie.formatting import formatter

    line = sb.container()
    # less padding inside, so that both dates fit the sidebar's width
    html("<style>.st-key-f_period_open [data-testid='stExpanderDetails'] {padding-left: .4rem; "
         "padding-right: .4rem;}</style>")
    box = sb.expander(t("Periode kiezen"), key="f_period_open", on_change="rerun")
    if box.open:
        with box:
            period = sticky(st.date_input, "f_period", (lo, hi), t("Periode"), min_value=lo, max_value=hi,
                            format="DD/MM/YYYY", param="value")
    else:
        wkey = "f_period" if lang() == "nl" else f"f_period_{lang()}"
        period = st.session_state.get(wkey, st.session_state.get("_keep_f_period", (lo, hi)))
        if not isinstance(period, (tuple, list)):
            period = (period,)
        period = tuple(min(max(d, lo), hi) for d in period if isinstance(d, dt.date))[:2] or (lo, hi)
        st.session_state["_keep_f_period"] = period
    f = formatter(lang())
    shown = " – ".join(f.date(d) for d in period) if isinstance(period, tuple) else f.date(period)
    line.markdown(f"**{t('Periode')}**: {shown}")
    return period


def _status_placeholder(layer: str) -> str:
    """What an empty status filter counts: the layer's counted statuses (e.g. only placed
    furniture), else everything but removed records."""
    from cohesie.layers import COUNTED_STATUSES

    if layer in COUNTED_STATUSES:
        return t("telt: {statussen}", statussen=", ".join(COUNTED_STATUSES[layer]))
    return t("alle behalve verwijderd")


def _write_query(params: dict[str, str], names=urlstate.FILTER_PARAMS) -> None:
    """Put the filters (or the other ``names``) in the URL (other parameters, such as
    ``wijk``, stay)."""
    for name in names:
        if name in params:
            if st.query_params.get(name) != params[name]:
                st.query_params[name] = params[name]
        elif name in st.query_params:
            del st.query_params[name]


def map_period_widgets(mode_box, container, measure_box, summary: pd.DataFrame) -> dict:
    """The Kaart's period widgets (see :mod:`cohesie.changemap`): the view in ``mode_box``
    (the sidebar's period, one year or quarter, the change between years or quarters), the
    period or the two periods to compare in ``container`` (a slider over the data's periods)
    and what colours the change in ``measure_box``. Their starting values come from the URL once (a
    shared link), and the choice is written back to it. Returns the keyword arguments of
    :func:`cohesie.mapview.map_view`."""
    from cohesie import changemap

    if not st.session_state.get("_map_url_read"):
        st.session_state["_map_url_read"] = True
        values = urlstate.map_from_query(st.query_params)
        quarters = "_q" if values.get("m_per") == "quarter" else ""
        for key, value in values.items():
            st.session_state[f"_keep_{key}{quarters if key in ('m_period', 'm_compare') else ''}"] = value
    if st.session_state.get("_keep_m_per") == "quarter" and st.session_state.get("_keep_m_mode") in changemap.MODES:
        st.session_state["_keep_m_mode"] += "_q"  # a link with per=kwartaal
        st.session_state.pop("_keep_m_per")
    choices = {"periode": t("Periode (zijbalk)"), "jaar": t("Per jaar"), "jaar_q": t("Per kwartaal"),
             "verandering": t("Verandering: jaren"), "verandering_q": t("Verandering: kwartalen"),
             "hotspots": t("Hot spots")}  # issue 13: cohesie.statmap
    choice = sticky_choice(mode_box.selectbox, "m_mode", list(choices), "periode", t("Weergave"),
                           format_func=choices.get)
    mode = choice.removesuffix("_q")
    out = {"mode": mode, "period": None, "compare": None, "per": "year", "measure": "verschil"}
    if mode in ("jaar", "verandering"):
        per = "quarter" if choice.endswith("_q") else "year"
        labels = changemap.period_labels(summary, per=per)
        complete = changemap.complete_labels(summary, per=per)
        out["per"] = per
        q = "_q" if per == "quarter" else ""  # widgets of their own: the options differ
        if mode == "jaar" and labels:
            kept = st.session_state.get(f"_keep_m_period{q}")
            default = changemap.default_period(labels, complete)
            st.session_state[f"_keep_m_period{q}"] = kept if kept in labels else default
            out["period"] = sticky(container.select_slider, f"m_period{q}", default, t("Periode"),
                                   options=labels, param="value")
        if mode == "verandering" and len(labels) >= 2:
            kept = tuple(st.session_state.get(f"_keep_m_compare{q}") or ())
            if len(kept) != 2 or any(k not in labels for k in kept):
                st.session_state[f"_keep_m_compare{q}"] = changemap.default_pair(labels, complete)
            out["compare"] = tuple(sticky(container.select_slider, f"m_compare{q}",
                                          changemap.default_pair(labels, complete),
                                          t("Van – tot"), options=labels, param="value"))
            out["measure"] = sticky_choice(measure_box.radio, "m_measure", list(changemap.MEASURES), "verschil",
                                           t("Kleur volgens"), horizontal=True,
                                           format_func={"verschil": t("verschil"), "pct": t("procent")}.get)
    _write_query(urlstate.map_to_query(**out), urlstate.MAP_PARAMS)
    return out


def describe_filters(filters: Filters, current: Loaded) -> str:
    parts = []
    if filters.start is not None or filters.end is not None:
        a = filters.start.strftime("%d/%m/%Y") if filters.start is not None else "…"
        b = filters.end.strftime("%d/%m/%Y") if filters.end is not None else "…"
        parts.append(t("periode {a} – {b}", a=a, b=b))
    if filters.wijken:
        names = wijk_options(current)
        parts.append(t("wijken: {lijst}", lijst=", ".join(names.get(w, w) for w in filters.wijken)))
    if len(filters.layers) < len(LAYERS):
        parts.append(t("lagen: {lijst}", lijst=", ".join(layer_label(k, lang()) for k in filters.layers)))
    for layer, types in filters.types.items():
        if types:
            parts.append(f"{layer_label(layer, lang())}: {', '.join(types)}")
    for layer, statuses in filters.statuses.items():
        if statuses:
            parts.append(f"{layer_label(layer, lang())} {t('status')}: {', '.join(statuses)}")
    return "; ".join(parts) or t("geen filters")


def legend(rows: list[tuple[str, str]], title: str) -> None:
    """Legend with the class bounds (HTML built from escaped text only)."""
    from cohesie.text import escape

    items = "".join(
        f'<div style="display:flex;align-items:center;gap:.4rem;margin:.1rem 0">'
        f'<span style="display:inline-block;width:1.1rem;height:.9rem;background:{colour};'
        f'border:1px solid #777"></span><span>{escape(text)}</span></div>' for colour, text in rows)
    html(f"<div role='figure' aria-label='{escape(t('legende'))}'><strong>{escape(title)}</strong>{items}</div>")


def html(body: str) -> None:
    """HTML built from escaped text only, as ``st.html`` (sanitised, not in an iframe). Not
    ``st.markdown(..., unsafe_allow_html=True)``: that makes the browser load a 190 KB HTML
    parser for markdown before it draws the page, the map included."""
    st.html(body)


# -- login ----------------------------------------------------------------------------
def _oidc_configured() -> bool:
    try:
        return "auth" in st.secrets
    except Exception:  # no secrets.toml at all
        return False


def auth_token() -> str | None:
    """The signed token of the logged-in user (verified again by every edit operation)."""
    from cohesie import auth

    if _oidc_configured() and getattr(st.user, "is_logged_in", False):
        email = st.user.get("email")
        return auth.issue_token(email, store().secret()) if email else None
    return st.session_state.get("auth_token")


def current_user():
    """The verified user of this session; an expired or revoked token logs the session out."""
    from cohesie import auth

    token = auth_token()
    user = auth.resolve_user(store(), token)
    if token and not user.username and st.session_state.get("auth_token") == token:
        st.session_state.pop("auth_token", None)  # expired or ended elsewhere: forget it
    return user


def login_panel() -> None:
    """Sidebar login (OIDC via st.login when configured, else the local account store)."""
    from cohesie import auth, settings
    from cohesie.errors import CohesieError

    # failed logins count per account and per client address (None on localhost, or when the
    # setting is off behind a proxy that shows every user with the proxy's address)
    address = None
    if settings.login_per_address():
        try:
            address = st.context.ip_address
        except Exception:  # no browser session (AppTest, scripts)
            address = None
    user = current_user()
    box = st.sidebar.container()
    if user.username:
        box.caption(t("Aangemeld als **{user}** ({role})", user=user.username, role=user.role))
        if box.button(t("Afmelden"), key="logout"):
            token = st.session_state.pop("auth_token", None)
            if token:
                auth.logout(store(), token, address=address)  # revoked on the server
            if _oidc_configured():
                st.logout()
            st.rerun()
        return
    if _oidc_configured():
        if box.button(t("Aanmelden"), key="login_oidc"):
            st.login()
        return
    # the form is drawn only while the expander is open (the browser has less to draw before the map)
    login_box = box.expander(t("Aanmelden om te bewerken"), key="login_open", on_change="rerun")
    if not login_box.open:
        return
    with login_box:
        with st.form("login_form", clear_on_submit=False):
            name = st.text_input(t("Gebruikersnaam"), key="login_user")
            pw = st.text_input(t("Wachtwoord"), type="password", key="login_pw")
            if st.form_submit_button(t("Aanmelden")):
                try:
                    st.session_state["auth_token"] = auth.login(store(), name, pw,
                                                                address=address)
                    st.rerun()
                except CohesieError as err:
                    st.error(str(err))


def require_editor():
    """Stop the page with a Dutch message unless an editor is logged in; returns the user."""
    user = current_user()
    if not user.can("editor") or not user.username:
        st.info(t("Bekijken kan zonder aanmelden. Om te bewerken moet je aangemeld zijn als editor of admin "
                  "(zie *Aanmelden* in de zijbalk)."))
        return None
    return user


def right_aligned(columns) -> dict:
    """``column_config`` for ``st.dataframe`` that right-aligns ``columns``: numbers shown as
    formatted text (cohesie.formatting) would otherwise sit on the left like words."""
    return {c: st.column_config.TextColumn(c, alignment="right") for c in columns}


def static_table(frame: pd.DataFrame, numbers=(), *, max_height: int | None = 420,
                 font_size: str = "0.9rem", padding: str = ".25rem .5rem") -> None:
    """A short table of already formatted text as plain HTML (``numbers``: headers of the
    right-aligned columns); with ``max_height`` it scrolls past that many px, its header kept
    in view. For lists read rather than sorted (the Kaart's "Opvallend", the presentation's
    slide): ``st.dataframe`` makes the browser load its grid (about 25 script files, 1.6 MB)."""
    align = ["right" if c in numbers else "left" for c in frame.columns]
    cell = f"text-align:{{}};padding:{padding};border-bottom:{{}}"
    head = "".join(f"<th style='{cell.format(a, '2px solid #333')}'>{escape(c)}</th>"
                   for c, a in zip(frame.columns, align))
    body = "".join("<tr>" + "".join(f"<td style='{cell.format(a, '1px solid #ccc')}'>{escape(v)}</td>"
                                    for v, a in zip(row, align)) + "</tr>"
                   for row in frame.astype(str).itertuples(index=False))
    scroll = f"max-height:{int(max_height)}px;overflow:auto" if max_height else ""
    sticky = "position:sticky;top:0;background:var(--background-color,#fff)" if max_height else ""
    html(f"<div class=\"cohesie-table\" style='{scroll}'><table style='width:100%;border-collapse:collapse;"
         f"font-size:{font_size}'><thead style='{sticky}'><tr>{head}</tr></thead><tbody>{body}</tbody>"
         "</table></div>")


def escape(text) -> str:
    from cohesie.text import escape as _escape

    return _escape(text)


def presentation_style() -> None:
    """Council-room look at 1920×1080: no sidebar or toolbar, no page scroll, type readable on a
    projector (legend, buttons and captions at 20 px or more)."""
    st.markdown(
        """<style>
        [data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], header, footer,
        [data-testid="stToolbar"] {display: none !important;}
        .block-container, [data-testid="stMainBlockContainer"] {padding: .6rem 2.5rem .3rem; max-width: 100%;}
        [data-testid="stMainBlockContainer"] [data-testid="stVerticalBlock"] {gap: .5rem;}
        h1.cohesie-title {text-align: center; margin: 0; padding: 0; font-size: 3rem; line-height: 1.1;}
        p.cohesie-subtitle {text-align: center; margin: 0; font-size: 1.35rem; color: #444;}
        [data-testid="stMetricValue"] {font-size: 3rem; line-height: 1.1;}
        [data-testid="stMetricLabel"] p {font-size: 1.35rem;}
        [data-testid="stMetricDelta"], [data-testid="stMetricDelta"] div {font-size: 1.35rem; color: #333 !important;}
        [data-testid="stMetricDelta"] svg {display: none;}
        [role="figure"] {font-size: 1.35rem; line-height: 1.35;}
        [role="figure"] strong {font-size: 1.4rem;}
        [role="figure"] span:first-child {width: 1.6rem !important; height: 1.2rem !important;}
        [data-testid="stRadio"] label p, [data-testid="stRadio"] [data-testid="stWidgetLabel"] p {font-size: 1.3rem;}
        [data-testid="stRadio"] [role="radiogroup"] {gap: .35rem;}
        [data-testid="stButton"] button p, [data-testid="stPageLink"] p {font-size: 1.3rem;}
        [data-testid="stButton"] button {min-height: 3rem;}
        [data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] p {font-size: 1.15rem; color: #333 !important; opacity: 1;}
        [data-testid="stAlert"] p {font-size: 1.15rem;}
        [data-testid="stButtonGroup"] button p {font-size: 1.3rem;}
        [data-testid="stButtonGroup"] button {min-height: 3rem;}
        p.cohesie-sentence {font-size: 1.9rem; line-height: 1.35; margin: 0; padding: .1rem 0 .35rem; color: #111;}
        .st-key-p_slide_keys {display: none;}
        </style>""",
        unsafe_allow_html=True,
    )


def toast_after_rerun(message: str, *, icon: str = ":material/check_circle:") -> None:
    """Keep ``message`` to show as a toast on the next run: a save is followed by
    ``st.rerun()``, which would wipe a message shown before it."""
    st.session_state.setdefault("_toasts", []).append((message, icon))


def show_toasts() -> None:
    """Show (once) the toasts kept by :func:`toast_after_rerun`."""
    for message, icon in st.session_state.pop("_toasts", []):
        st.toast(message, icon=icon, duration="long")  # 10 s: long enough to read the record's name


def action_form(data: Dataset, wijk_code: str) -> None:
    """Record a pleinmaker's action (editors only); shows the recent actions to everyone."""
    from cohesie import edits
    from cohesie.errors import CohesieError
    from cohesie.formatting import formatter

    show_toasts()
    pm = data.points[(data.points["layer"] == "pleinmakers") & (data.points["wijk_code"] == wijk_code)]
    if pm.empty:
        return
    names = dict(zip(pm["id"], pm["naam"]))
    # newest first; on one date by pleinmaker and kind, so both backends list them alike
    done = data.acties[data.acties["pleinmaker_id"].isin(names)].sort_values(
        ["datum", "pleinmaker_id", "soort", "beschrijving"], ascending=[False, True, True, True], kind="stable").reset_index(drop=True)
    if len(done):
        shown = done.assign(pleinmaker=done["pleinmaker_id"].map(names), datum=done["datum"].dt.date)
        st.caption(t("Recente acties"))
        st.dataframe(shown[["datum", "pleinmaker", "soort", "beschrijving"]].head(10), hide_index=True,
                     width="stretch", column_config={
                         "datum": st.column_config.DateColumn(t("Datum"), format="DD/MM/YYYY"),
                         "pleinmaker": t("Pleinmaker"), "soort": t("Soort"), "beschrijving": t("Beschrijving")})
    user = current_user()
    if not (user.username and user.can("editor")):
        return
    with st.form(f"actie_{wijk_code}", clear_on_submit=True):
        st.markdown(f"**{t('Actie registreren')}**")
        # name and id: two pleinmakers with one name must not share a label (the picker sends its label)
        labels = {i: f"{n} · {i}" for i, n in names.items()}
        who = st.selectbox(t("Pleinmaker"), list(names), format_func=labels.get, key=f"actie_pm_{wijk_code}")
        when = st.date_input(t("Datum"), value=dt.date.today(), format="DD/MM/YYYY", key=f"actie_datum_{wijk_code}")
        kind = st.selectbox(t("Soort"), ["burendag", "pleinfeest", "zwerfvuilactie", "speelnamiddag", "buurtbabbel",
                                      "andere"], key=f"actie_soort_{wijk_code}")
        text = st.text_input(t("Beschrijving"), key=f"actie_tekst_{wijk_code}")
        if st.form_submit_button(t("Actie bewaren")):
            try:
                edits.record_action(store(), auth_token(), pleinmaker_id=who, datum=when, soort=kind,
                                    beschrijving=text)
                toast_after_rerun(t("Actie bewaard: {soort} op {datum} voor {pleinmaker} ({id}).", soort=kind,
                                    datum=formatter(lang()).date(when), pleinmaker=names[who], id=who))
                st.rerun()
            except CohesieError as err:
                st.error(str(err))


def export_header(title: str, filters: Filters, current: Loaded) -> list[str]:
    """Title, data source, data date and active filters printed on every export."""
    from cohesie.operations import export_header as header

    return header(current.data, title, describe_filters(filters, current), lang=lang())


FOOTER_PAGES = ("presentatie",)  # pages that show the demo banner and source as a footer


def shared_frame(current: Loaded, *, page: str | None = None) -> Filters:
    """The frame of every page: demo banner, data-source line, language, filters, login.

    ``page`` is the page's url path; on :data:`FOOTER_PAGES` the banner and source line are
    left to the page's :func:`frame_footer`.
    """
    st.session_state["_frame_at_bottom"] = page in FOOTER_PAGES
    frame(current, at_bottom=page in FOOTER_PAGES)
    language_switch()
    filters = sidebar_filters(current)
    st.session_state["filters"] = filters
    login_panel()
    return filters


def page_context(*, page: str | None = None) -> tuple[Loaded, Filters]:
    """The data and filters of the shared frame, for a page.

    Streamlit runs a page without ``dashboard.py`` in its legacy ``pages/`` mode: for the first
    request after the server starts when it is a deep link (e.g. ``/indicatoren``), and in
    AppTest after ``switch_page``. Then the page draws the shared frame itself and switches the
    legacy mode off, so the next run goes through ``dashboard.py`` and ``st.navigation``.
    """
    import sys

    from streamlit.runtime.pages_manager import PagesManager

    if PagesManager.uses_pages_directory and "streamlit.testing.v1" not in sys.modules:
        # On a server: run again through dashboard.py, whose st.navigation resolves the URL
        # (/kaart, /indicatoren, ...) with the real page titles and the shared frame.
        PagesManager.uses_pages_directory = False
        st.rerun()
    current = loaded()
    if PagesManager.uses_pages_directory or "filters" not in st.session_state:
        PagesManager.uses_pages_directory = False
        return current, shared_frame(current, page=page)
    return current, st.session_state["filters"]


@st.cache_resource(show_spinner=False)
def preload_suggestions() -> bool:
    """Import the optimiser once per server, so the first "stel voor" answers quickly."""
    from cohesie import suggest

    suggest.preload()
    return True


def translator():
    """``t`` bound to the language of this run (safe inside widget ``format_func`` lambdas)."""
    chosen = lang()
    return lambda text, **values: translate(text, chosen, **values)


# -- selection and filters in the URL -------------------------------------------------------
def select_wijk(code: str | None) -> None:
    """Remember the wijk the user selected (map click, picker) in the session and the URL."""
    if code:
        st.session_state["selected_wijk"] = code
        st.query_params["wijk"] = code
    else:
        st.session_state.pop("selected_wijk", None)
        st.query_params.pop("wijk", None)


def write_slide(slide: str) -> None:
    """Put the Presentatie's slide in the URL (``?dia=``; none for the map, the default)."""
    from cohesie.presentation import DEFAULT_SLIDE, SLIDE_PARAM

    if slide and slide != DEFAULT_SLIDE:
        if st.query_params.get(SLIDE_PARAM) != slide:
            st.query_params[SLIDE_PARAM] = slide
    elif SLIDE_PARAM in st.query_params:
        del st.query_params[SLIDE_PARAM]


def selected_wijk(current: Loaded, filters: Filters | None = None) -> str | None:
    """The selected wijk: from the URL (``?wijk=``), else the session; when the sidebar
    filters wijken and the selection is not one of them, the first filtered wijk."""
    known = per_version(current, ("wijk_codes",), lambda: frozenset(current.data.sectors["wijk_code"].astype(str)))
    chosen = st.query_params.get("wijk") or st.session_state.get("selected_wijk")
    if chosen not in known:
        chosen = None
    if filters is not None and filters.wijken and chosen not in filters.wijken:
        chosen = filters.wijken[0]
    return chosen


def wijk_selection(current: Loaded, wijk: str | None, lang_: str):
    """:func:`cohesie.mapview.selection_of_wijk`, once per data version, wijk and language."""
    from cohesie import mapview

    return per_version(current, ("selection", wijk, lang_),
                       lambda: mapview.selection_of_wijk(current.data.sectors, wijk, lang=lang_))


# -- statistics cache (issue 13, Wijkfiche/Presentatie) --
@st.cache_resource(show_spinner=False, max_entries=2)
def _statistics_index(location: str, version: int) -> counting.PointIndex:
    # on PostGIS the loaded index holds no signals: the statistics need them all, once per
    # version, read in chunks into the index arrays (persisted like SQLite's, never one DataFrame)
    data = _load(location, version).data
    return counting.load_index(store(), data.points, data.sectors, version=data.version)


def statistics_index(current: Loaded) -> counting.PointIndex:
    """The :class:`~cohesie.counting.PointIndex` with every signal (the loaded one, or on
    PostGIS one read once per data version)."""
    if current.signals_in_database:
        return _statistics_index(current.location, current.data.version)
    return current.index


def layer_records(current: Loaded, layer: str, filters: Filters) -> tuple[int, callable]:
    """How many records of ``layer`` ``filters`` select and a function that returns them (for a
    download): the signals are not in ``current.data.points`` (they are counted with the index
    and read from the store only when asked for)."""
    from cohesie import indicators

    f = Filters(start=filters.start, end=filters.end, layers=(layer,), types=filters.types,
                statuses=filters.statuses, wijken=filters.wijken)
    if layer in counting.NON_EVENT_LAYERS:
        selected = indicators.filter_points(current.data.points, f)
        return len(selected), lambda: selected
    n = int(statistics_index(current).mask(f).sum())
    return n, lambda: indicators.filter_points(store().read_points(layers=[layer]), f)


def signal_records(current: Loaded) -> pd.DataFrame:
    """Every signal as categorical columns (:meth:`~cohesie.counting.PointIndex.signal_records`),
    for the few pandas functions that need signal rows (suggestions weighted by signals)."""
    return statistics_index(current).signal_records()


def _signal_filters(filters: Filters | None) -> Filters:
    """The sidebar's signal types and statuses; not its period or wijken (the history and the
    city-wide correction need every period and area)."""
    if filters is None:
        return Filters(layers=("signalen",))
    return Filters(layers=("signalen",), types={"signalen": tuple(filters.types.get("signalen", ()))},
                   statuses={"signalen": tuple(filters.statuses.get("signalen", ()))})


@st.cache_resource(show_spinner=False, max_entries=32)
def _alerts_cached(location: str, version: int, key: tuple, level: str, per: str, filters_key: tuple,
                   lang_: str, admin: bool):
    from cohesie import surveillance

    current = _load(location, version)
    return surveillance.alerts(statistics_index(current), current.data.sectors, level=level, per=per,
                               filters=counting.filters_from_key(filters_key), lang=lang_, admin=admin)


def statistics_alerts(current: Loaded, level: str, filters: Filters | None = None, *, per: str = "month",
                      admin: bool = False):
    """:func:`cohesie.surveillance.alerts` of ``level``, cached per data location, version and
    :func:`~cohesie.surveillance.alerts_key` (raises its Dutch error when there is nothing to test)."""
    from cohesie import surveillance

    f = _signal_filters(filters)
    key = surveillance.alerts_key(level=level, per=per, until=None, filters=f, settings=surveillance.AlertSettings(),
                                  lang=lang(), admin=admin)
    return _alerts_cached(current.location, current.data.version, key, level, per, counting.filters_key(f),
                          lang(), bool(admin))


def alerts_source(current: Loaded, filters: Filters | None = None, *, admin: bool = False):
    """``alerts(level)`` for a view model (:func:`cohesie.statview.opvallend`)."""
    return lambda level: statistics_alerts(current, level, filters, admin=admin)


@st.cache_resource(show_spinner=False, max_entries=64)
def _effect_cached(location: str, version: int, layer: str, record_id: str, radius: float, months: int,
                   lang_: str):
    from cohesie import effects

    current = _load(location, version)
    return effects.effect(statistics_index(current), layer, record_id, radius=radius, months=months, lang=lang_)


def statistics_effect(current: Loaded, layer: str, record_id: str, radius: float, months: int):
    """:func:`cohesie.effects.effect`, cached per data location, version and arguments (a
    Dutch error is raised again, not cached)."""
    return _effect_cached(current.location, current.data.version, layer, str(record_id), float(radius),
                          int(months), lang())


def effect_source(current: Loaded):
    """``effect(layer, id, radius, months)`` for a view model (:func:`cohesie.statview.effect_view`)."""
    return lambda layer, record_id, radius, months: statistics_effect(current, layer, record_id, radius, months)


@st.cache_resource(show_spinner=False, max_entries=4)
def _window_cached(location: str, version: int):
    from cohesie import statview

    return statview.signal_window(statistics_index(_load(location, version)))


def statistics_window(current: Loaded):
    """The first month with signals and the last complete one (:func:`cohesie.statview.signal_window`)."""
    return _window_cached(current.location, current.data.version)


# -- statistics cache (issue 13, Kaart) --
# The Kaart's early warning and hot spots (helper ui13a). The statistics are deterministic, so
# they are cached per data version (and, for the hot spots, the filters they count): a rerun
# for anything else (a click, the classes, the background, the minimum excess) does not fit
# again.
@st.cache_data(show_spinner=False, max_entries=16)
def _kaart_alerts_cached(_current: Loaded, location: str, version: int, level: str, per: str, lang: str):
    from cohesie import statmap, surveillance

    # every area and category, minimum excess 0: the page applies the user's minimum to the
    # tested rows (cohesie.statmap.flags), which changes no p-value; read from the table kept
    # for this data version when there is one (written at `python -m cohesie prepare` or by the
    # first fit), else fitted and kept
    result = _kept_alerts(_current, level, per, lang)
    if result is None:  # on PostGIS statistics_index reads every signal, once per data version
        result = surveillance.alerts_kept(store(), statistics_index(_current), _current.data.sectors,
                                          version=version, level=level, per=per,
                                          settings=statmap.KAART_ALERT_SETTINGS, lang=lang)
    _ALERTS_DONE.add((location, version, level, per, lang))  # kaart_view: no pending warning for these any more
    return result


def _kept_alerts(current: Loaded, level: str, per: str, lang_: str):
    """The Kaart's alerts kept on disk for this data version (:func:`cohesie.surveillance.kept_alerts`),
    or ``None``: reading them needs no fit (and no statsmodels)."""
    from cohesie import statmap, surveillance

    return surveillance.kept_alerts(store(), current.data.sectors, version=current.data.version, level=level,
                                    per=per, settings=statmap.KAART_ALERT_SETTINGS, lang=lang_)


def kaart_alerts(current: Loaded, level: str, per: str):
    """:func:`cohesie.surveillance.alerts` of every area of ``level`` and category for the
    latest complete ``per`` (month or quarter), cached per data version and language."""
    with st.spinner(t("Vroege waarschuwing berekenen…")):
        return _kaart_alerts_cached(current, current.location, current.data.version, level, per, lang())


@st.cache_data(show_spinner=False, max_entries=64)
def _kaart_hot_spots_cached(_current: Loaded, location: str, version: int, key: tuple, lang: str):
    from cohesie import hotspots

    filters = counting.filters_from_key(key)
    counts = area_counts(_current, "sector", filters)
    counts = counts["signalen"] if "signalen" in counts else pd.Series(dtype="int64")
    return hotspots.hot_spots_of_rates(_current.data.sectors, counts, lang=lang)


def kaart_hot_spots(current: Loaded, filters: Filters):
    """:func:`cohesie.hotspots.hot_spots_of_rates` of the signals counted under ``filters``
    (see :func:`cohesie.statmap.hot_spot_filters`), cached per data version and filters."""
    return _kaart_hot_spots_cached(current, current.location, current.data.version,
                                   counting.filters_key(filters), lang())


# -- the Kaart's early warning per the filters it depends on (issue 15: rerun cost) --
@st.cache_resource(show_spinner=False, max_entries=64)
def _kaart_warning_cached(_current: Loaded, location: str, version: int, key: tuple, level: str, per: str,
                          min_excess: float, admin: bool, lang: str):
    from cohesie import mapview

    # shared by every session (cache_resource: no copy per rerun); nobody changes it
    return mapview.early_warning_of(
        _current, counting.filters_from_key(key),
        lambda lv, p: _kaart_alerts_cached(_current, location, version, lv, p, lang), level=level, per=per,
        min_excess=min_excess, admin=admin, lang=lang,
        cells_of=lambda lv, p: _kaart_cells_cached(_current, location, version, lv, p, admin, lang))


@st.cache_resource(show_spinner=False, max_entries=16)
def _kaart_cells_cached(_current: Loaded, location: str, version: int, level: str, per: str, admin: bool,
                        lang: str):
    from cohesie import statmap

    # the suppression of the whole tested table depends on the data version, not on the filters:
    # once per version instead of once per wijken or signal types asked for
    return statmap.warning_cells(_kaart_alerts_cached(_current, location, version, level, per, lang),
                                 _current.data.sectors, level=level, admin=admin)


_ALERTS_DONE: set = set()  # (location, version, level, per, lang) whose alerts were computed once


# -- the whole Kaart view per filter set (issue 15: rerun cost) --
@st.cache_resource(show_spinner=False, max_entries=64)
def _kaart_view_cached(_current: Loaded, _filters: Filters, location: str, version: int, filters_key: tuple,
                       wijken: tuple, options: tuple, today: dt.date, pending: bool = False):
    from cohesie import mapview, statmap

    current, kw = _current, dict(options)
    lang_ = kw["lang"]

    def warning_of(f, lv, per, mx):
        if pending:  # the series are fitted after the map was sent (kaart_statistics_after_map)
            return statmap.empty_warning(translate("De vroege waarschuwing wordt berekend; de kaart toont ze zodra "
                                                   "ze klaar is.", lang_), level=lv, per=per, min_excess=float(mx),
                                         pending=True)
        key = counting.filters_key(mapview.warning_filters(f))
        return _kaart_warning_cached(current, location, version, key, lv, per, float(mx), bool(kw["admin"]), lang_)

    # shared by every session that asks for the same view (cache_resource: no copy); nobody changes it
    return mapview.map_view(
        current, _filters, area_counts=lambda lv, f: area_counts(current, lv, f),
        layer_totals=lambda f: layer_totals(current, f),
        per_period=lambda lv, f, per: counts_per_period(current, lv, f, per=per),
        alerts_of=lambda lv, per: _kaart_alerts_cached(current, location, version, lv, per, lang_),
        hot_spots_of=lambda f: _kaart_hot_spots_cached(current, location, version, counting.filters_key(f), lang_),
        warning_of=warning_of, **kw)


def kaart_view(current: Loaded, filters: Filters, **options):
    """:func:`cohesie.mapview.map_view` of the Kaart (``options``: its keyword arguments, plain
    values), kept per data version, filter set and options: a filter set that any session asked
    for before (the same day) costs only drawing it. The counts, alerts and hot spots come from
    :func:`area_counts`, :func:`kaart_alerts` and :func:`kaart_hot_spots` as before.

    The first time a data version's early warning is needed, fitting its series takes seconds:
    then the view's warning is *pending* (``view.warning.pending``), so that the page sends the
    map at once, and :func:`kaart_statistics_after_map`, called at the end of the page, fits
    the series under a spinner and draws the page again with them."""
    options = {**options, "lang": options.get("lang", lang())}
    args = (current, filters, current.location, current.data.version, counting.filters_key(filters),
            tuple(filters.wijken), tuple(sorted(options.items())), dt.date.today())
    alert_key = (current.location, current.data.version, options.get("level"), options.get("alert_period", "month"),
                 options["lang"])
    if not current.location or alert_key in _ALERTS_DONE or _alerts_kept_on_disk(current, alert_key):
        return _kaart_view_cached(*args)
    st.session_state["_kaart_alerts_pending"] = alert_key
    return _kaart_view_cached(*args, pending=True)


def _alerts_kept_on_disk(current: Loaded, alert_key: tuple) -> bool:
    """Whether the store kept the alerts of ``alert_key`` for this data version (then the view
    reads them and nothing is pending); remembered in :data:`_ALERTS_DONE`."""
    from cohesie import statmap, surveillance

    _, _, level, per, _ = alert_key
    if level not in ("sector", "wijk") or per not in surveillance.PERIODS:
        return False
    if surveillance.kept_table(store(), current.data.sectors, version=current.data.version, level=level, per=per,
                               settings=statmap.KAART_ALERT_SETTINGS) is None:
        return False
    _ALERTS_DONE.add(alert_key)
    return True


def kaart_overlay(view):
    """The Kaart's overlay layer of ``view`` (:func:`cohesie.maps.overlay`): its payload is made
    once per view and kept with it (views are shared per filter set), the layer anew per rerun."""
    from cohesie import maps, statmap

    payload = view.memo.get("overlay")
    if payload is None:
        w = view.warning
        payload = view.memo["overlay"] = maps.overlay_payload(
            level=view.level, styles=view.styles, highlight=view.highlight, points=view.points,
            signal_counts=view.circles, layer_labels=view.layer_names, signal_word=view.signal_word,
            alerts=w.markers, flagged=w.codes, flag_colour=statmap.ALERT_COLOUR)
    return maps.overlay_group(payload)


def kaart_statistics_after_map(current: Loaded, view, box) -> None:
    """After the Kaart was sent with a pending early warning (see :func:`kaart_view`): fit its
    series with a spinner in ``box`` (beside the map), then run the page again, which draws
    the map's flags and the "Opvallend" list from the cache. Nothing to do otherwise."""
    from cohesie.errors import CohesieError

    warning = getattr(view, "warning", None)
    alert_key = st.session_state.pop("_kaart_alerts_pending", None)
    if warning is None or not warning.pending or alert_key is None:
        return
    with box, st.spinner(t("Vroege waarschuwing berekenen…")):
        try:
            _kaart_alerts_cached(current, current.location, current.data.version, warning.level, warning.per,
                                 view.lang)
        except CohesieError:
            pass  # nothing to test: the view says so (mapview._early_warning), not cached as an error
    if len(_ALERTS_DONE) > 256:
        _ALERTS_DONE.clear()
    _ALERTS_DONE.add(alert_key)
    st.rerun()
