""""Werkt het?": signals near an intervention before and after its start, against the rest
of the city (difference-in-differences as a ratio of rates).

Method (the README's "Werkt het?" section says the same in words):

- The intervention is a pleinmaker, a piece of placed furniture or a project with a location;
  its start is its ``datum`` (:data:`START_FIELD`: actief sinds, datum geplaatst, startdatum).
- Counted signals with a location (of one category, or all) are split into *binnen* (within
  ``radius`` metres of the intervention) and *rest* (the rest of the municipality) and counted
  per month, for the ``months`` complete months before the start month and the ``months``
  months after it. The start month itself is left out (it is partly before, partly after).
- A Poisson regression (statsmodels GLM) of the monthly counts with an effect per area (binnen,
  rest), per month and the interaction *binnen × na* gives the ratio of rates
  ``(binnen_na / binnen_voor) / (buiten_na / buiten_voor)``; ``effect_pct`` is that ratio minus
  1 in percent. The 95 % interval is the Wald interval of the interaction, widened by the
  overdispersion of the monthly counts (quasi-Poisson, Pearson, at least 1).
- With fewer than :data:`MIN_INSIDE` signals within the radius (before and after together), or
  a zero in any of the four counts, there is no number: the sentence says so.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from cohesie.errors import CohesieError
from cohesie.i18n import translate
from cohesie.indicators import Filters
from cohesie.layers import LAYERS, REMOVED

#: what "start" is per layer that can be an intervention (all use ``datum``)
START_FIELD = {"pleinmakers": "actief sinds", "meubilair": "datum geplaatst", "projecten": "startdatum"}
DEFAULT_RADIUS_M = 300.0
DEFAULT_MONTHS = 24
MIN_INSIDE = 20
EFFECT_COLUMNS = ["id", "naam", "start", "radius_m", "maanden", "binnen_voor", "binnen_na", "buiten_voor",
                  "buiten_na", "effect_pct", "ci_laag_pct", "ci_hoog_pct"]


@dataclass
class Effect:
    """Result of :func:`effect`.

    row : the CSV row (:data:`EFFECT_COLUMNS` plus ``categorie``); the three percentages are
        None when there are too few signals.
    series : the monthly counts for a chart: ``maand`` (first day), ``fase`` (``voor``/``na``),
        ``gebied`` (label), ``binnen`` (bool), ``signalen``, ``index`` (100 = the area's monthly
        mean before the start).
    start : the start date (mark it on the chart).
    sentence : the plain sentence in the user's language.
    method : how it was computed, one paragraph.
    notes : what the reader must know.
    """

    row: dict
    series: pd.DataFrame
    start: pd.Timestamp
    sentence: str
    method: str
    notes: list[str] = field(default_factory=list)

    @property
    def estimated(self) -> bool:
        return self.row["effect_pct"] is not None


def intervention(points: pd.DataFrame, layer: str, record_id: str) -> pd.Series:
    """The record ``record_id`` of ``layer`` that can be an intervention; Dutch errors for an
    unknown layer or id, a layer that holds no interventions, a record without a start date
    or location, unplaced furniture and removed records."""
    if layer not in LAYERS:
        raise CohesieError(f"Onbekende laag '{layer}'. Kies een van: {', '.join(START_FIELD)}.")
    if layer not in START_FIELD:
        raise CohesieError(f"De laag {layer} bevat geen ingrepen; kies een van: {', '.join(START_FIELD)}.")
    rows = points[(points["layer"] == layer) & (points["id"].astype(str) == str(record_id))]
    if rows.empty:
        some = points.loc[points["layer"] == layer, "id"].astype(str).head(5).tolist()
        hint = f" Bestaande id's zijn bv. {', '.join(some)}." if some else f" De laag {layer} is leeg."
        raise CohesieError(f"Geen record met id '{record_id}' in de laag {layer}.{hint}")
    rec = rows.iloc[0]
    label = f"{layer} {record_id}"
    if rec["status"] == REMOVED:
        raise CohesieError(f"{label} heeft de status verwijderd en telt niet mee.")
    if layer == "meubilair" and rec["status"] != "geplaatst":
        raise CohesieError(f"{label} is niet geplaatst (status {rec['status']}): er is geen plaatsingsdatum "
                           "om voor en na te vergelijken.")
    if pd.isna(rec["datum"]):
        raise CohesieError(f"{label} heeft geen {START_FIELD[layer]} (veld datum): vul die in om voor en na "
                           "te kunnen vergelijken.")
    if pd.isna(rec["x"]) or pd.isna(rec["y"]):
        raise CohesieError(f"{label} heeft geen locatie (alleen een wijk): een afstand tot signalen kan niet "
                           "berekend worden. Geef het record coördinaten.")
    return rec


def did_poisson(inside_before: np.ndarray, inside_after: np.ndarray, outside_before: np.ndarray,
                outside_after: np.ndarray) -> tuple[float, float, float]:
    """Ratio of rates ``(in_after/in_before)/(out_after/out_before)`` and its 95 % interval
    from a Poisson GLM of the monthly counts with area and month effects (statsmodels),
    quasi-Poisson (dispersion at least 1)."""
    import statsmodels.api as sm

    ib, ia, ob, oa = (np.asarray(a, dtype="float64") for a in (inside_before, inside_after, outside_before,
                                                                 outside_after))
    y = np.concatenate([ib, ia, ob, oa])
    n_b, n_a = len(ib), len(ia)
    months = np.concatenate([np.arange(n_b), n_b + np.arange(n_a)] * 2)
    inside = np.r_[np.ones(n_b + n_a), np.zeros(n_b + n_a)]
    after = np.r_[np.zeros(n_b), np.ones(n_a), np.zeros(n_b), np.ones(n_a)]
    month_dummies = (months[:, None] == np.arange(1, n_b + n_a)[None, :]).astype("float64")
    X = np.column_stack([np.ones(len(y)), inside, month_dummies, inside * after])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = sm.GLM(y, X, family=sm.families.Poisson()).fit()
    beta = float(res.params[-1])
    # quasi-Poisson: Pearson dispersion, at least 1 (computed here, not with fit(scale="X2"),
    # which fails when the first guess already fits exactly)
    dispersion = float(res.pearson_chi2) / float(res.df_resid) if res.df_resid > 0 else 1.0
    se = float(res.bse[-1]) * np.sqrt(max(1.0, dispersion))
    return float(np.exp(beta)), float(np.exp(beta - 1.959964 * se)), float(np.exp(beta + 1.959964 * se))


def effect(index, layer: str, record_id: str, *, radius: float = DEFAULT_RADIUS_M,
           months: int = DEFAULT_MONTHS, category: str | None = None, lang: str = "nl") -> Effect:
    """"Werkt het?" for one intervention, from the :class:`~cohesie.counting.PointIndex` of the
    loaded records (deterministic; cache per data version and arguments)."""
    from cohesie.formatting import formatter
    from cohesie.surveillance import check_category, last_complete_period

    if not (radius > 0 and np.isfinite(radius)):
        raise CohesieError(f"--radius {radius:g} is geen geldige afstand: geef een getal groter dan 0 in meter.")
    if months < 1:
        raise CohesieError(f"--months {months} is ongeldig: geef een geheel getal van minstens 1, bv. --months 24.")
    check_category(index, category)
    rec = intervention(index.points, layer, record_id)
    start = pd.Timestamp(rec["datum"]).normalize()
    types = {"signalen": (category,)} if category else {}
    m = index.counted_mask(Filters(layers=("signalen",), types=types)) & ~index.datum_missing
    x, y = index.x, index.y  # every record, signals included (float64, NaN without a point)
    all_signals = index.counted_mask(Filters(layers=("signalen",))) & ~index.datum_missing
    if not all_signals.any():
        raise CohesieError("Er zijn geen signalen met een datum: er valt niets te vergelijken.")
    month = index.month  # months since 1970-01
    first_month = int(month[all_signals].min())
    last = last_complete_period(pd.Timestamp(index.datum[all_signals].max()), "month")
    last_month = int(last.ordinal)
    s = int(start.to_period("M").ordinal)
    name = f"{layer} {record_id}"
    if s + months > last_month:
        raise CohesieError(
            f"{name} start op {start:%Y-%m-%d}: de gegevens lopen tot {last.year}-{last.month:02d}, dus er zijn nog "
            f"geen {months} volledige maanden na de start. Kies minder maanden (--months) of wacht op nieuwere "
            "gegevens.")
    if s - months < first_month:
        first = pd.Period(ordinal=first_month, freq="M")
        raise CohesieError(
            f"{name} start op {start:%Y-%m-%d}: de signalen beginnen pas in {first.year}-{first.month:02d}, "
            "dus er zijn "
            f"geen {months} maanden vóór de start. Kies minder maanden (--months).")
    located = m & ~np.isnan(x)
    dist = np.hypot(x[located] - float(rec["x"]), y[located] - float(rec["y"]))
    sig_month = month[located]
    near = dist <= radius
    window = np.arange(s - months, s + months + 1)
    offset = sig_month - (s - months)
    in_window = (offset >= 0) & (offset < len(window))
    inside = np.bincount(offset[in_window & near], minlength=len(window))
    outside = np.bincount(offset[in_window & ~near], minlength=len(window))
    before, after = slice(0, months), slice(months + 1, 2 * months + 1)
    counts = {"binnen_voor": int(inside[before].sum()), "binnen_na": int(inside[after].sum()),
              "buiten_voor": int(outside[before].sum()), "buiten_na": int(outside[after].sum())}
    row = {"id": str(record_id), "naam": "" if pd.isna(rec["naam"]) else str(rec["naam"]),
           "start": f"{start:%Y-%m-%d}", "radius_m": float(radius), "maanden": int(months), **counts,
           "effect_pct": None, "ci_laag_pct": None, "ci_hoog_pct": None, "categorie": category or ""}
    fmt = formatter(lang)
    t = lambda text, **kw: translate(text, lang, **kw)  # noqa: E731
    notes = []
    unlocated = int((m & np.isnan(x)).sum())
    if unlocated:
        notes.append(t("{n} signalen zonder locatie (alleen een wijk) tellen niet mee: hun afstand is onbekend.",
                       n=fmt.integer(unlocated)))
    enough = counts["binnen_voor"] + counts["binnen_na"] >= MIN_INSIDE and min(counts.values()) > 0
    r_text = fmt.integer(radius)
    if enough:
        ratio, low, high = did_poisson(inside[before], inside[after], outside[before], outside[after])
        row["effect_pct"] = round((ratio - 1) * 100, 1)
        row["ci_laag_pct"], row["ci_hoog_pct"] = round((low - 1) * 100, 1), round((high - 1) * 100, 1)
        verb = t("daalden") if ratio < 1 else t("stegen")
        sentence = t("In de {m} maanden na de start {verb} de signalen binnen {r} m met {pct} (95 %-interval "
                     "{lo} tot {hi}) meer dan in de rest van de stad.", m=fmt.integer(months), verb=verb,
                     r=r_text, pct=fmt.percent(abs(row["effect_pct"])), lo=fmt.percent(row["ci_laag_pct"]),
                     hi=fmt.percent(row["ci_hoog_pct"]))
        if low <= 1 <= high:
            sentence += " " + t("Het interval bevat 0 %: het verschil kan toeval zijn.")
        else:
            sentence += " " + t("Dat wijst op samenhang, niet noodzakelijk op oorzaak.")
    else:
        sentence = t("Te weinig signalen binnen {r} m ({n} in de {m} maanden voor en na de start samen; minstens "
                     "{min} nodig, en in elke periode minstens één) om een verandering te schatten.",
                     r=r_text, n=fmt.integer(counts["binnen_voor"] + counts["binnen_na"]),
                     m=fmt.integer(months), min=fmt.integer(MIN_INSIDE))
    periods = pd.period_range(pd.Period(ordinal=s - months, freq="M"), periods=len(window), freq="M")
    keep = np.r_[np.arange(months), np.arange(months + 1, 2 * months + 1)]
    phase = np.where(keep < months, "voor", "na")
    frames = []
    for is_inside, values, label in ((True, inside, t("binnen {r} m", r=r_text)),
                                     (False, outside, t("rest van de stad"))):
        base = values[before].mean()
        frames.append(pd.DataFrame({"maand": periods[keep].to_timestamp(), "fase": phase, "gebied": label,
                                    "binnen": is_inside, "signalen": values[keep].astype("int64"),
                                    "index": values[keep] / base * 100 if base > 0 else np.nan}))
    method = t("Verschil-in-verschillen: de verandering van het aantal signalen per maand binnen {r} m tussen de "
               "{m} maanden voor en na de startmaand, gedeeld door dezelfde verandering in de rest van de stad "
               "(Poisson-regressie met een effect per gebied en per maand; het interval houdt rekening met "
               "extra spreiding tussen de maanden). Ook andere veranderingen dicht bij de ingreep tellen mee.",
               r=r_text, m=fmt.integer(months))
    return Effect(row=row, series=pd.concat(frames, ignore_index=True), start=start, sentence=sentence,
                  method=method, notes=notes)
