"""The only module of ``cohesie`` that imports streamlit: cached loading, the shared frame
(demo banner, data-source line), the shared filters and small rendering helpers."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import geopandas as gpd
import pandas as pd
import streamlit as st

from cohesie import settings, views
from cohesie.indicators import Filters
from cohesie.layers import LAYERS
from cohesie.storage import Dataset, Store, ensure_map_assets

FILTER_KEYS = ("f_layers", "f_wijken", "f_period", "f_types", "f_status")


@dataclass
class Loaded:
    """One data version with what every page derives from it (read-only, shared)."""

    data: Dataset
    areas: dict[str, gpd.GeoDataFrame]
    urls: dict[str, str]
    bounds: list


def store() -> Store:
    return Store(settings.data_dir())


def _static_url(rel: str) -> str:
    base = (st.get_option("server.baseUrlPath") or "").strip("/")
    return f"/{base + '/' if base else ''}app/static/{rel}"


@st.cache_resource(show_spinner="Gegevens laden…", max_entries=4)
def _load(path: str, version: int) -> Loaded:
    s = Store(path)
    data = s.load()
    if data.empty:
        return Loaded(data, {}, {}, [])
    frames = views.area_frames(data.sectors)
    key = views.geometry_key(data.sectors)
    urls = {}
    for level, content in views.display_layers(data.sectors, frames["wijk"]).items():
        name = f"{level}_{key}.geojson"
        s.write_display_file(name, content)
        urls[level] = _static_url(f"generated/{name}")
    return Loaded(data, frames, urls, views.bounds_latlon(data.sectors))


def loaded() -> Loaded:
    """The current data version (re-read when another user or process changed it)."""
    s = store()
    return _load(str(s.data_dir), s.data_version())


@st.cache_resource
def map_assets() -> dict:
    rel = ensure_map_assets()
    return {kind: [_static_url(p) for p in paths] for kind, paths in rel.items()}


def frame(current: Loaded) -> None:
    """Shared top of every page: demo banner and the data-source line."""
    data = current.data
    if data.empty:
        st.error(
            f"Er zijn nog geen gegevens in {store().data_dir}. Maak de demo met "
            "`python -m cohesie demo` of importeer sectoren met `python -m cohesie import-sectors`."
        )
        st.stop()
    if data.is_demo:
        st.warning(
            "**Demogegevens**: dit is de fictieve gemeente "
            f"{data.meta.get('gemeente')} (namen, vormen en cijfers verzonnen). Echte gegevens "
            "laden: zie *Gegevens*.", icon="⚠️")
    meta = data.meta
    st.caption(
        f"Gemeente {meta.get('gemeente', '?')} (NIS {meta.get('nis', '?')}) · sectoren: "
        f"{meta.get('bron_sectoren', '?')} · bevolking: {meta.get('bron_bevolking', 'niet geladen')} · "
        f"gegevensversie {data.version}"
    )


def sidebar_filters(current: Loaded) -> Filters:
    """Layer, type, wijk, period and status filters in the sidebar, shared by all pages."""
    data = current.data
    pts = data.points
    sb = st.sidebar
    sb.header("Filters")
    layer_names = list(LAYERS)
    chosen = sb.multiselect("Lagen", layer_names, default=layer_names, key="f_layers",
                            format_func=lambda k: LAYERS[k].label)
    wijken = views.wijk_options(data.sectors)
    sel_wijken = sb.multiselect("Wijken", list(wijken), key="f_wijken", format_func=wijken.get,
                                placeholder="alle wijken")
    dates = pts["datum"].dropna()
    lo = dates.min().date() if len(dates) else dt.date(2000, 1, 1)
    hi = max(dates.max().date(), dt.date.today()) if len(dates) else dt.date.today()
    if "f_period" not in st.session_state:
        st.session_state["f_period"] = (lo, hi)
    period = sb.date_input("Periode", min_value=lo, max_value=hi, key="f_period", format="DD/MM/YYYY")
    start, end = (period + (None, None))[:2] if isinstance(period, tuple) else (period, None)
    types, statuses = {}, {}
    with sb.expander("Type en status per laag"):
        for layer in chosen:
            lay = LAYERS[layer]
            present = sorted(set(pts.loc[pts["layer"] == layer, "type"].dropna()) | set(lay.types))
            types[layer] = tuple(st.multiselect(f"{lay.label}: {lay.type_label}", present,
                                                key=f"f_types_{layer}", placeholder="alle"))
            statuses[layer] = tuple(st.multiselect(f"{lay.label}: status", list(lay.statuses),
                                                   key=f"f_status_{layer}", placeholder="alle behalve verwijderd"))
    return Filters(start=pd.Timestamp(start) if start else None,
                   end=pd.Timestamp(end) + pd.Timedelta(hours=23, minutes=59) if end else None,
                   layers=tuple(chosen), types=types, statuses=statuses, wijken=tuple(sel_wijken))


def describe_filters(filters: Filters, current: Loaded) -> str:
    parts = []
    if filters.start is not None or filters.end is not None:
        a = filters.start.strftime("%d/%m/%Y") if filters.start is not None else "…"
        b = filters.end.strftime("%d/%m/%Y") if filters.end is not None else "…"
        parts.append(f"periode {a} – {b}")
    if filters.wijken:
        names = views.wijk_options(current.data.sectors)
        parts.append("wijken: " + ", ".join(names.get(w, w) for w in filters.wijken))
    if len(filters.layers) < len(LAYERS):
        parts.append("lagen: " + ", ".join(LAYERS[k].label for k in filters.layers))
    for layer, types in filters.types.items():
        if types:
            parts.append(f"{LAYERS[layer].label}: {', '.join(types)}")
    for layer, statuses in filters.statuses.items():
        if statuses:
            parts.append(f"{LAYERS[layer].label} status: {', '.join(statuses)}")
    return "; ".join(parts) or "geen filters"


def legend(rows: list[tuple[str, str]], title: str) -> None:
    """Legend with the class bounds (HTML built from escaped text only)."""
    from cohesie.text import escape

    items = "".join(
        f'<div style="display:flex;align-items:center;gap:.4rem;margin:.1rem 0">'
        f'<span style="display:inline-block;width:1.1rem;height:.9rem;background:{colour};'
        f'border:1px solid #777"></span><span>{escape(text)}</span></div>' for colour, text in rows)
    st.markdown(f"<div role='figure' aria-label='legende'><strong>{escape(title)}</strong>{items}</div>",
                unsafe_allow_html=True)


def metrics_row(figures: dict, labels: dict[str, str]) -> None:
    cols = st.columns(len(labels))
    for col, (key, label) in zip(cols, labels.items()):
        col.metric(label, f"{figures.get(key, 0):,}".replace(",", " "))


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
    from cohesie import auth

    return auth.resolve_user(store(), auth_token())


def login_panel() -> None:
    """Sidebar login (OIDC via st.login when configured, else the local account store)."""
    from cohesie import auth
    from cohesie.errors import CohesieError

    user = current_user()
    box = st.sidebar.container()
    if user.username:
        box.caption(f"Aangemeld als **{user.username}** ({user.role})")
        if box.button("Afmelden", key="logout"):
            st.session_state.pop("auth_token", None)
            if _oidc_configured():
                st.logout()
            st.rerun()
        return
    if _oidc_configured():
        if box.button("Aanmelden", key="login_oidc"):
            st.login()
        return
    with box.expander("Aanmelden om te bewerken"):
        with st.form("login_form", clear_on_submit=False):
            name = st.text_input("Gebruikersnaam", key="login_user")
            pw = st.text_input("Wachtwoord", type="password", key="login_pw")
            if st.form_submit_button("Aanmelden"):
                try:
                    st.session_state["auth_token"] = auth.login(store(), name, pw)
                    st.rerun()
                except CohesieError as err:
                    st.error(str(err))


def require_editor():
    """Stop the page with a Dutch message unless an editor is logged in; returns the user."""
    user = current_user()
    if not user.can("editor") or not user.username:
        st.info("Bekijken kan zonder aanmelden. Om te bewerken moet je aangemeld zijn als "
                "editor of admin (zie *Aanmelden* in de zijbalk).")
        return None
    return user


def escape(text) -> str:
    from cohesie.text import escape as _escape

    return _escape(text)


def presentation_style() -> None:
    """Council-room look: no sidebar or toolbar, large type."""
    st.markdown(
        """<style>
        [data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], header, footer,
        [data-testid="stToolbar"] {display: none !important;}
        .block-container {padding-top: 1rem; max-width: 100%;}
        [data-testid="stMetricValue"] {font-size: 3.2rem;}
        [data-testid="stMetricLabel"] p {font-size: 1.3rem;}
        </style>""",
        unsafe_allow_html=True,
    )


def big_figures(figures: list[tuple[str, str]]) -> None:
    cols = st.columns(len(figures))
    for col, (label, value) in zip(cols, figures):
        col.metric(label, value)


def action_form(data: Dataset, wijk_code: str) -> None:
    """Record a pleinmaker's action (editors only); shows the recent actions to everyone."""
    from cohesie import edits
    from cohesie.errors import CohesieError

    pm = data.points[(data.points["layer"] == "pleinmakers") & (data.points["wijk_code"] == wijk_code)]
    if pm.empty:
        return
    names = dict(zip(pm["id"], pm["naam"]))
    done = data.acties[data.acties["pleinmaker_id"].isin(names)].sort_values("datum", ascending=False)
    if len(done):
        shown = done.assign(pleinmaker=done["pleinmaker_id"].map(names), datum=done["datum"].dt.date)
        st.caption("Recente acties")
        st.dataframe(shown[["datum", "pleinmaker", "soort", "beschrijving"]].head(10), hide_index=True,
                     use_container_width=True)
    user = current_user()
    if not (user.username and user.can("editor")):
        return
    with st.form(f"actie_{wijk_code}", clear_on_submit=True):
        st.markdown("**Actie registreren**")
        who = st.selectbox("Pleinmaker", list(names), format_func=names.get, key=f"actie_pm_{wijk_code}")
        when = st.date_input("Datum", value=dt.date.today(), format="DD/MM/YYYY", key=f"actie_datum_{wijk_code}")
        kind = st.selectbox("Soort", ["burendag", "pleinfeest", "zwerfvuilactie", "speelnamiddag", "buurtbabbel",
                                      "andere"], key=f"actie_soort_{wijk_code}")
        text = st.text_input("Beschrijving", key=f"actie_tekst_{wijk_code}")
        if st.form_submit_button("Actie bewaren"):
            try:
                edits.record_action(store(), auth_token(), pleinmaker_id=who, datum=when, soort=kind,
                                    beschrijving=text)
                st.success("Actie bewaard.")
                st.rerun()
            except CohesieError as err:
                st.error(str(err))


def export_header(title: str, filters: Filters, current: Loaded) -> list[str]:
    """Title, data source, data date and active filters printed on every export."""
    meta = current.data.meta
    last = current.data.imports["tijdstip"].iloc[-1][:10] if len(current.data.imports) else "?"
    demo = " (DEMO: fictieve gegevens)" if current.data.is_demo else ""
    return [f"{title} — {meta.get('gemeente', '?')} (NIS {meta.get('nis', '?')}){demo}",
            f"Bron: sectoren {meta.get('bron_sectoren', '?')}; bevolking {meta.get('bron_bevolking', '?')}",
            f"Gegevens van {last} (gegevensversie {current.data.version})",
            f"Filters: {describe_filters(filters, current)}"]


def page_context() -> tuple[Loaded, Filters]:
    """The data and filters of the shared frame, for a page.

    Right after the server starts, Streamlit runs the first request of a deep link (e.g.
    ``/indicatoren``) in its legacy ``pages/`` mode, without ``dashboard.py`` and so without the
    frame. Switch that legacy mode off and rerun: the rerun goes through ``dashboard.py`` and
    ``st.navigation`` opens the same page with the frame.
    """
    if "filters" not in st.session_state:
        from streamlit.runtime.pages_manager import PagesManager

        PagesManager.uses_pages_directory = False
        st.rerun()
    return loaded(), st.session_state["filters"]
