"""Issue 13 on the pages: the early warning ("Opvallend") of one wijk or the city, and
"Werkt het?" for one intervention, as parts of a page's view model.

The statistics themselves are :mod:`cohesie.surveillance` and :mod:`cohesie.effects`; this
module turns their results into what a council member reads: rows with the observed count, the
expected count and the p-value in words, one sentence, a chart's data. The Wijkfiche
(:mod:`cohesie.wijkfiche`), the Presentatie (:mod:`cohesie.presentation`) and the Plaatsing
record panel (:mod:`cohesie.placement`) call these with callables that return the (cached)
statistics, so the app can cache them per data version.

Privacy (for everyone but admins):
- Opvallend: an observed count of 1-4 shows "< 5"; within one area's categories and within a
  wijk's sectors a second cell is hidden ("verborgen") where a single hidden one could be
  worked out from a published total (:func:`cohesie.privacy.suppress_table`). The flag may
  still show. Nothing computed from the hidden count (the excess) is shown.
- Werkt het?: the chart is drawn per 3 months and as an index (100 = the area's monthly mean
  before the start); a 3-month block with 1-4 signals within the radius is left out, and the
  chart data carry no counts at all. Admins see months with their counts. The sentence's
  percentages are shown to everyone; the four totals only to admins.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import numpy as np
import pandas as pd

from cohesie import privacy
from cohesie.errors import CohesieError
from cohesie.formatting import formatter, month_label, period_text
from cohesie.i18n import layer_label, translate

#: layers whose records can be an intervention, in the order of the picker
INTERVENTION_LAYERS = ("pleinmakers", "projecten", "meubilair")
#: months per block of the chart for everyone but admins
BLOCK_MONTHS = 3
EFFECT_COLUMNS_SHOWN = ["binnen_voor", "binnen_na", "buiten_voor", "buiten_na"]


# -- Opvallend -----------------------------------------------------------------------------
def chance_text(p: float | None, lang: str = "nl") -> str:
    """The p-value in words: how often at least this many signals would come by chance
    ("1 op 250"); empty when not tested."""
    if p is None or pd.isna(p):
        return ""
    fmt = formatter(lang)
    if p < 0.001:
        return translate("minder dan 1 op {n}", lang, n=fmt.integer(1000))
    if p >= 0.5:
        return translate("meer dan 1 op 2 (gewoon)", lang)
    return translate("1 op {n}", lang, n=fmt.integer(round(1 / p)))


@dataclass(frozen=True)
class Opvallend:
    """The early warning of one wijk (its row per category and its sectors' flagged rows) or of
    the whole city (the flagged rows of every wijk).

    rows : DataFrame
        The flagged rows (display text, translated headers): area, category, observed
        ("< 5" for 1-4 unless admin), expected, chance in words, the reading.
    tested : DataFrame
        Every category of the wijk (or every flagged wijk of the city), same columns.
    flagged : int
        Number of flagged rows.
    numbers : tuple of str
        The headers of the columns that hold numbers (right-aligned wherever the table is drawn).
    """

    title: str
    period: str
    sentence: str
    rows: pd.DataFrame
    tested: pd.DataFrame
    flagged: int
    method: str
    reading: str
    notes: list[str] = field(default_factory=list)
    error: str | None = None
    numbers: tuple = ()

    @property
    def empty(self) -> bool:
        return self.rows.empty


def _display(table: pd.DataFrame, *, lang: str, admin: bool, area: str) -> pd.DataFrame:
    fmt = formatter(lang)

    def t(text, **kw):
        return translate(text, lang, **kw)

    primary, complementary = privacy.alert_cells(table, admin=admin)
    notes = {"te_korte_geschiedenis": t("te korte geschiedenis: niet getoetst"),
             "geen_geschiedenis": t("nooit eerder signalen in deze categorie: niet getoetst"), "": ""}
    observed = [privacy.PRIMARY if primary[i] else privacy.COMPLEMENTARY if complementary[i]
                else fmt.integer(v) for i, v in table["waargenomen"].items()]
    reading = []
    for _, r in table.iterrows():
        if r["opmerking"]:
            reading.append(notes.get(r["opmerking"], r["opmerking"]))
        elif r["opvallend"]:
            reading.append(t("opvallend: meer dan seizoen en toeval verklaren"))
        else:
            reading.append(t("binnen de verwachting"))
    return pd.DataFrame({
        t(area): table["gebied"].astype(str).to_numpy(),
        t("Categorie"): table["categorie"].astype(str).to_numpy(),
        t("Waargenomen"): observed,
        t("Verwacht"): [fmt.number(v, 1, empty="") for v in table["verwacht"]],
        t("Kans bij toeval"): [chance_text(v, lang) for v in table["p_waarde"]],
        t("Lezing"): reading,
    })


def _ordered(table: pd.DataFrame) -> pd.DataFrame:
    return table.assign(_f=~table["opvallend"].astype(bool), _p=table["p_waarde"].fillna(2.0)).sort_values(
        ["_f", "_p", "code", "categorie"], kind="stable").drop(columns=["_f", "_p"])


def opvallend(alerts: Callable[[str], object] | None, sectors: pd.DataFrame, *, wijk: str | None,
              lang: str = "nl", admin: bool = False, with_sectors: bool = True) -> Opvallend:
    """The Opvallend block of ``wijk`` (None: the whole city).

    ``alerts(level)`` returns :func:`cohesie.surveillance.alerts` of ``"wijk"`` or
    ``"sector"`` (cached by the app); a :class:`~cohesie.errors.CohesieError` it raises (no
    signals with a date) becomes the block's ``error``. For a wijk: its row per category and the
    flagged rows of its sectors (when ``with_sectors``); for the city: every flagged wijk.
    """
    def t(text, **kw):
        return translate(text, lang, **kw)

    title = t("Opvallend")
    reading = t("Waargenomen: signalen in die periode. Verwacht: wat de eigen geschiedenis van het gebied (3 jaar "
                "met seizoen, het halfjaar net ervoor niet meegeteld) laat verwachten. Kans bij toeval: hoe vaak minstens zoveel signalen voorkomen als er "
                "niets veranderd is. Opvallend is een reden om te kijken, geen bewijs van een probleem.")
    empty = pd.DataFrame()
    if alerts is None:
        return Opvallend(title, "", "", empty, empty, 0, "", reading)
    try:
        by_wijk = alerts("wijk")
        by_sector = alerts("sector") if (with_sectors and wijk is not None) else None
    except CohesieError as err:
        return Opvallend(title, "", "", empty, empty, 0, "", reading, error=str(err))
    period = period_text(by_wijk.period, lang)
    names = sectors.drop_duplicates("wijk_code").set_index("wijk_code")["wijk_naam"].astype(str)
    w = by_wijk.table.copy()
    w["gebied"] = w["code"].map(names).fillna(w["naam"].astype(str))
    if wijk is None:
        flagged_codes = set(w.loc[w["opvallend"].astype(bool), "code"])
        own = _ordered(w[w["code"].isin(flagged_codes)])
        shown_w = _display(own, lang=lang, admin=admin, area="Wijk") if len(own) else empty
        rows = shown_w[own["opvallend"].to_numpy()] if len(own) else empty
        tested = shown_w
        n = int(own["opvallend"].sum()) if len(own) else 0
        where = t("in de stad")
        area_name = ""
    else:
        own = _ordered(w[w["code"].astype(str) == str(wijk)])
        shown_w = _display(own, lang=lang, admin=admin, area="Gebied") if len(own) else empty
        parts = [shown_w[own["opvallend"].to_numpy()]] if len(own) else []
        n = int(own["opvallend"].sum()) if len(own) else 0
        if by_sector is not None:
            s = by_sector.table
            s = s[s["code"].isin(set(sectors.loc[sectors["wijk_code"].astype(str) == str(wijk), "code"]))].copy()
            s["gebied"] = [t("sector {naam}", naam=n) for n in s["naam"].astype(str)]
            s = _ordered(s)
            if len(s):
                shown_s = _display(s, lang=lang, admin=admin, area="Gebied")
                parts.append(shown_s[s["opvallend"].to_numpy()])
                n += int(s["opvallend"].sum())
        rows = pd.concat(parts, ignore_index=True) if parts else empty
        tested = shown_w
        area_name = str(names.get(str(wijk), wijk))
        where = t("in {naam}", naam=area_name)
    fmt = formatter(lang)
    if n == 0:
        sentence = t("Niets opvallends {waar} in {periode}: geen categorie steeg meer dan seizoen en toeval "
                     "verklaren.", waar=where, periode=period)
    elif n == 1:
        sentence = t("1 opvallende stijging {waar} in {periode}.", waar=where, periode=period)
    else:
        sentence = t("{n} opvallende stijgingen {waar} in {periode}.", n=fmt.integer(n), waar=where, periode=period)
    notes = list(by_wijk.notes)
    if not admin:
        notes.append(t("Kleine aantallen (1 tot 4) staan als '< 5'; de markering 'opvallend' blijft zichtbaar."))
    return Opvallend(title=title, period=period, sentence=sentence, rows=rows.reset_index(drop=True),
                     tested=tested.reset_index(drop=True) if len(tested) else empty, flagged=n,
                     method=by_wijk.method, reading=reading, notes=notes,
                     numbers=(t("Waargenomen"), t("Verwacht")))


# -- Werkt het? ----------------------------------------------------------------------------
def intervention_options(points: pd.DataFrame, *, wijk: str | None = None, lang: str = "nl") -> dict[str, str]:
    """``{"layer|id": label}`` of the records that can be an intervention (pleinmakers,
    projects, placed furniture; not removed; with a start date and a location), of ``wijk``
    when given, ordered by layer and start."""
    from cohesie.layers import REMOVED

    p = points[points["layer"].isin(INTERVENTION_LAYERS) & (points["status"] != REMOVED)]
    p = p[~((p["layer"] == "meubilair") & (p["status"] != "geplaatst"))]
    p = p[p["datum"].notna() & p["x"].notna() & p["y"].notna()]
    if wijk is not None:
        p = p[p["wijk_code"].astype(str) == str(wijk)]
    fmt = formatter(lang)
    order = {k: i for i, k in enumerate(INTERVENTION_LAYERS)}
    p = p.assign(_o=p["layer"].map(order)).sort_values(["_o", "datum", "naam", "id"], kind="stable")
    out = {}
    for r in p.itertuples(index=False):
        name = r.naam if isinstance(r.naam, str) and r.naam.strip() else str(r.id)
        out[f"{r.layer}|{r.id}"] = translate("{laag}: {naam} (start {datum})", lang, laag=layer_label(r.layer, lang),
                                             naam=name, datum=fmt.date(r.datum))
    return out


def is_intervention(rec: dict | pd.Series) -> bool:
    """Whether a stored record can be an intervention (see :func:`intervention_options`)."""
    from cohesie.layers import REMOVED

    get = rec.get
    if get("layer") not in INTERVENTION_LAYERS or get("status") == REMOVED:
        return False
    if get("layer") == "meubilair" and get("status") != "geplaatst":
        return False
    return not any(v is None or pd.isna(v) for v in (get("datum"), get("x"), get("y")))


@dataclass(frozen=True)
class EffectView:
    """"Werkt het?" for one intervention, ready to draw.

    data : DataFrame
        One row per drawn point: ``maand`` (months from the start month, the middle of a block
        for non-admins), ``periode`` (text), ``gebied``, ``fase`` (text), ``index`` (100 = the
        area's monthly mean before the start), ``tekst`` (tooltip); admins also ``signalen``.
        No counts for non-admins; blocks with 1-4 signals within the radius are left out.
    series : the two area labels (within the radius first).
    """

    key: str
    title: str
    label: str
    sentence: str
    data: pd.DataFrame
    series: list[str]
    start_text: str
    x_title: str
    y_title: str
    rule_label: str
    note: str
    method: str
    totals: str = ""
    notes: list[str] = field(default_factory=list)
    error: str | None = None
    radius: float = 300.0
    months: int = 24

    @property
    def empty(self) -> bool:
        return self.data.empty


def _blocks(series: pd.DataFrame, months: int) -> pd.DataFrame:
    """Sum the monthly ``signalen`` of each area into blocks of :data:`BLOCK_MONTHS` counted
    outward from the start; ``maanden`` months in each block, ``maand`` its middle (relative)."""
    s = series.copy()
    s["rel"] = s["rel"].astype(int)
    s["blok"] = np.where(s["rel"] < 0, -((-s["rel"] - 1) // BLOCK_MONTHS) - 1, (s["rel"] - 1) // BLOCK_MONTHS)
    out = s.groupby(["binnen", "gebied", "blok", "fase"], as_index=False, sort=True).agg(
        signalen=("signalen", "sum"), maanden=("rel", "size"), eerste=("maand", "min"), laatste=("maand", "max"),
        midden=("rel", "mean"))
    return out


def signal_window(index) -> tuple[pd.Period, pd.Period] | None:
    """The first month with signals and the last complete month (as :func:`cohesie.effects.effect`
    counts them), or None without dated signals."""
    from cohesie.indicators import Filters
    from cohesie.surveillance import last_complete_period

    m = index.counted_mask(Filters(layers=("signalen",))) & ~index.datum_missing
    if not m.any():
        return None
    first = pd.Period(ordinal=int(index.month[m].min()), freq="M")
    return first, last_complete_period(pd.Timestamp(index.datum[m].max()), "month")


def months_possible(start, window: tuple[pd.Period, pd.Period] | None) -> int | None:
    """How many complete months before and after the start month the data hold (None: unknown)."""
    if window is None or start is None or pd.isna(start):
        return None
    s = pd.Timestamp(start).to_period("M")
    return int(min((s - window[0]).n, (window[1] - s).n))


def effect_view(effect: Callable[..., object] | None, key: str | None, label: str = "", *,
                radius: float = 300.0, months: int = 24, lang: str = "nl", admin: bool = False,
                start=None, window: tuple[pd.Period, pd.Period] | None = None) -> EffectView | None:
    """The chart and sentence of ``key`` (``"layer|id"``); ``effect(layer, id, radius, months)``
    returns :func:`cohesie.effects.effect` (cached by the app). With the record's ``start`` and
    the data's ``window`` (:func:`signal_window`), more months than the data hold around the start
    are reduced to what they hold, and said so. A Dutch error (no start date, too few months at
    all) becomes ``error``; None without a key."""
    if effect is None or not key:
        return None
    fmt = formatter(lang)

    def t(text, **kw):
        return translate(text, lang, **kw)

    layer, record_id = key.split("|", 1)
    title = t("Werkt het?")
    notes = []
    possible = months_possible(start, window)
    if possible is not None and possible < months:
        if possible < 1:
            text = t("Deze ingreep start op {datum}; de signalen lopen van {van} tot {tot}: er is geen volledige "
                     "maand voor én na de start om te vergelijken.", datum=fmt.date(start),
                     van=month_label(window[0].to_timestamp(), lang), tot=month_label(window[1].to_timestamp(), lang))
            return EffectView(key=key, title=title, label=label, sentence="", data=pd.DataFrame(), series=[],
                              start_text=fmt.date(start), x_title="", y_title="", rule_label="", note="", method="",
                              error=text, radius=float(radius), months=int(months))
        notes.append(t("De signalen lopen van {van} tot {tot}: rond deze start passen {n} maanden voor en na, niet "
                       "{gevraagd}; er zijn er {n} gebruikt.", van=month_label(window[0].to_timestamp(), lang),
                       tot=month_label(window[1].to_timestamp(), lang), n=fmt.integer(possible),
                       gevraagd=fmt.integer(months)))
        months = possible
    base = dict(key=key, title=title, label=label, series=[], start_text="", x_title="", y_title="", rule_label="",
                radius=float(radius), months=int(months))
    try:
        result = effect(layer, record_id, float(radius), int(months))
    except CohesieError as err:
        return EffectView(sentence="", data=pd.DataFrame(), note="", method="", error=str(err), notes=notes, **base)
    r_text = fmt.integer(radius)
    inside_label, rest_label = t("binnen {r} m", r=r_text), t("rest van de stad")
    s = result.series.copy()
    s["gebied"] = np.where(s["binnen"], inside_label, rest_label)
    start_month = pd.Timestamp(result.start).to_period("M")
    s["rel"] = [(pd.Timestamp(m).to_period("M") - start_month).n for m in s["maand"]]
    phase = {"voor": t("voor de start"), "na": t("na de start")}
    means = s[s["fase"] == "voor"].groupby("binnen")["signalen"].mean()
    rows = []
    if admin:
        for r in s.itertuples(index=False):
            mean = means.get(r.binnen, 0.0)
            idx = r.signalen / mean * 100 if mean > 0 else np.nan
            rows.append({"maand": float(r.rel), "periode": month_label(r.maand, lang), "gebied": r.gebied,
                         "fase": phase[r.fase], "index": idx, "signalen": int(r.signalen),
                         "tekst": t("{n} signalen, index {i}", n=fmt.integer(r.signalen), i=fmt.number(idx, 0))})
        note = t("Per maand, als index: 100 = het gemiddelde per maand van dat gebied voor de start, zodat beide "
                 "lijnen op één as passen.")
    else:
        blocks = _blocks(s, months)
        hidden = 0
        for r in blocks.itertuples(index=False):
            mean = means.get(r.binnen, 0.0)
            if r.binnen and privacy.primary_mask(pd.Series([r.signalen])).iloc[0]:
                hidden += 1
                continue
            idx = float(round((r.signalen / r.maanden) / mean * 100)) if mean > 0 else np.nan
            span = f"{month_label(r.eerste, lang)} – {month_label(r.laatste, lang)}"
            rows.append({"maand": float(r.midden), "periode": span, "gebied": r.gebied, "fase": phase[r.fase],
                         "index": idx, "tekst": t("index {i}", i=fmt.number(idx, 0))})
        note = t("Per 3 maanden en als index (100 = het gemiddelde per maand van dat gebied voor de start), zodat "
                 "kleine aantallen binnen {r} m niet te herleiden zijn.", r=r_text)
        if hidden:
            note += " " + t("{n} blok(ken) met 1 tot 4 signalen binnen {r} m zijn weggelaten.",
                            n=fmt.integer(hidden), r=r_text)
    data = pd.DataFrame(rows, columns=["maand", "periode", "gebied", "fase", "index", "tekst"]
                        + (["signalen"] if admin else []))
    data = data[data["index"].notna()].reset_index(drop=True)
    totals = ""
    if admin:
        row = result.row
        totals = t("Binnen {r} m: {a} voor, {b} na; rest van de stad: {c} voor, {d} na (signalen).", r=r_text,
                   a=fmt.integer(row["binnen_voor"]), b=fmt.integer(row["binnen_na"]),
                   c=fmt.integer(row["buiten_voor"]), d=fmt.integer(row["buiten_na"]))
    return EffectView(sentence=result.sentence, data=data, note=note, method=result.method, totals=totals,
                      notes=notes + list(result.notes), **{**base, "series": [inside_label, rest_label],
                      "start_text": fmt.date(result.start),
                      "x_title": t("Maanden voor (−) en na (+) de startmaand"),
                      "y_title": t("Index (100 = gemiddelde voor de start)"),
                      "rule_label": t("start {datum}", datum=fmt.date(result.start))})


def effect_chart(view: EffectView, lang: str = "nl", *, height: int = 300):
    """The Altair chart of :class:`EffectView`: within the radius (red) and the rest of the
    city (black, dashed) as an index per month or block, the start month as a vertical rule."""
    import altair as alt

    from cohesie.formatting import vega_number_expr

    data = view.data
    span = max(float(data["maand"].abs().max()) if len(data) else view.months, 1.0)
    x = alt.X("maand:Q", title=view.x_title, scale=alt.Scale(domain=[-span - 0.5, span + 0.5], nice=False),
              axis=alt.Axis(labelExpr=vega_number_expr(0, lang), tickMinStep=3, labelOverlap="greedy"))
    line = alt.Chart(data).encode(
        x=x,
        y=alt.Y("index:Q", title=view.y_title, scale=alt.Scale(zero=True),
                axis=alt.Axis(labelExpr=vega_number_expr(0, lang), tickCount=5, titleLimit=360)),
        color=alt.Color("gebied:N", title=None, scale=alt.Scale(domain=view.series, range=["#d62728", "#222222"]),
                        legend=alt.Legend(orient="top", labelFontSize=13, symbolType="stroke", symbolStrokeWidth=3,
                                          symbolSize=400)),
        strokeDash=alt.StrokeDash("gebied:N", scale=alt.Scale(domain=view.series, range=[[1, 0], [6, 4]]),
                                  legend=alt.Legend(orient="top", title=None)),
        detail="fase:N",
        tooltip=[alt.Tooltip("gebied:N", title=translate("Gebied", lang)),
                 alt.Tooltip("periode:N", title=translate("Periode", lang)),
                 alt.Tooltip("tekst:N", title=translate("Waarde", lang))])
    rule_data = pd.DataFrame({"maand": [0.0], "label": [view.rule_label]})
    rule = alt.Chart(rule_data).mark_rule(color="#555", strokeWidth=2).encode(x=alt.X("maand:Q"))
    text = alt.Chart(rule_data).mark_text(align="left", dx=5, dy=-4, baseline="top", fontSize=12, color="#333").encode(
        x=alt.X("maand:Q"), y=alt.value(2), text="label:N")
    hundred = alt.Chart(pd.DataFrame({"index": [100.0]})).mark_rule(color="#999", strokeDash=[2, 3]).encode(
        y="index:Q")
    points = line.mark_point(filled=True, size=30).encode(strokeDash=alt.value([1, 0])).transform_filter(
        alt.datum.gebied == view.series[0])
    return alt.layer(hundred, line.mark_line(strokeWidth=2.2), points, rule, text).properties(height=height)
