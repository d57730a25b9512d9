"""Early warning ("Opvallend"): is the latest complete month or quarter of an area and signal
category higher than its own history leads one to expect?

Method (the README's "Vroege waarschuwing" section says the same in words):

- One series per area (wijk or sector) and signal category: counted signals per period
  (:func:`signal_counts`, the counting rules of :mod:`cohesie.indicators`: ``verwijderd`` never,
  the ``datum melding`` decides the period). The tested period is the latest *complete* one
  (:func:`last_complete_period`), or the one chosen.
- The history is the ``history`` periods before it (default three years). A quasi-Poisson GLM
  (statsmodels, log link) with an intercept, a linear trend and one pair of seasonal harmonics
  (sin/cos over the year) is fitted to it; as in the Farrington method of public-health
  surveillance, the trend is kept only when it is significant (5 %) and does not push the
  expectation above 1.5 times the highest count of the history (over-extrapolation), and a
  short or sparse history gets a simpler model (no season under two years, a constant rate
  under ``min_signals``).
- The observed count is compared with a negative binomial predictive distribution with the
  model's expected count as mean and as variance the overdispersion (Pearson, at least 1) times
  the mean plus the uncertainty of the expectation itself. ``p_waarde`` is the one-sided
  probability of at least the observed count (a rise).
- The p-values of all areas × categories are corrected with Benjamini-Hochberg (statsmodels);
  ``opvallend`` is true when the corrected value is at most ``alpha`` *and* the observed count
  exceeds the expectation by at least ``min_excess`` signals.

Everything here is pure and deterministic: the same counts and settings give the same table,
so a page can cache it per data version (:func:`alerts_key`).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from cohesie import areas
from cohesie.errors import CohesieError
from cohesie.i18n import translate
from cohesie.indicators import Filters

#: period choices → pandas frequency and periods per year
PERIODS = {"month": "M", "quarter": "Q"}
CYCLE = {"month": 12, "quarter": 4}
#: a trend is dropped when it would expect more than this times the history's highest count
TREND_CAP = 1.5
ALERT_COLUMNS = ["code", "naam", "categorie", "periode", "waargenomen", "verwacht", "p_waarde",
                 "opvallend", "p_gecorrigeerd", "overschot", "model", "opmerking"]


@dataclass(frozen=True)
class AlertSettings:
    """What the user can set (hashable, so it can be part of a cache key).

    alpha : significance after Benjamini-Hochberg correction (default 5 %).
    min_excess : observed minus expected must be at least this many signals to flag.
    history : number of periods that form the history (default 3 years).
    guard : periods just before the tested one left out of the history (default half a year:
        6 months, 2 quarters), as Farrington's method leaves out the recent past, so that a rise
        that began a few periods ago is not learnt as the new normal before it is flagged.
    min_signals : below this many signals in the history only a constant rate is fitted.
    """

    alpha: float = 0.05
    min_excess: float = 5.0
    history: int | None = None  # None: three years (36 months, 12 quarters)
    guard: int | None = None    # None: half a year (6 months, 2 quarters)
    min_signals: int = 10


@dataclass
class Alerts:
    """The result of :func:`alerts`, texts in the user's language.

    table : one row per area × category (:data:`ALERT_COLUMNS`; counts not suppressed).
    shown : the same rows for a screen: labelled columns, Belgian/English numbers, counts
        1-4 as "< 5" unless ``admin``; flagged rows first.
    period : label of the tested period (``2025-11``, ``2025-Q4``), or ``""``.
    method : one paragraph that explains the method.
    notes : what the reader must know (series not tested and why).
    """

    table: pd.DataFrame
    shown: pd.DataFrame
    period: str
    method: str
    notes: list[str] = field(default_factory=list)

    @property
    def flagged(self) -> pd.DataFrame:
        return self.table[self.table["opvallend"]]


# -- periods ---------------------------------------------------------------------------------
def _check_per(per: str) -> str:
    if per not in PERIODS:
        raise CohesieError(f"Onbekende periode '{per}'. Kies uit: {', '.join(PERIODS)}.")
    return PERIODS[per]


def period_label(period: pd.Period) -> str:
    """``2025-11`` for a month, ``2025-Q4`` for a quarter."""
    return f"{period.year}-Q{period.quarter}" if period.freqstr.startswith("Q") else f"{period.year}-{period.month:02d}"


def last_complete_period(last_date, per: str = "month") -> pd.Period | None:
    """The latest period that the data covers completely: the period holding ``last_date``
    (the latest signal) when that is its last day, else the period before."""
    freq = _check_per(per)
    if last_date is None or pd.isna(last_date):
        return None
    day = pd.Timestamp(last_date).normalize()
    current = day.to_period(freq)
    return current if day == current.end_time.normalize() else current - 1


def parse_until(value: str | None, per: str, last_complete: pd.Period | None) -> pd.Period | None:
    """The period tested for ``--until YYYY-MM``: the last complete period ending in or before
    that month; a Dutch error when it is not a month or lies after the data."""
    if value is None or value == "":
        return last_complete
    try:
        month = pd.Period(str(value).strip(), freq="M")
        if not str(value).strip()[:4].isdigit() or len(str(value).strip()) != 7:
            raise ValueError
    except (ValueError, TypeError):
        raise CohesieError(f"--until '{value}' is geen maand; schrijf JJJJ-MM, bv. --until 2025-11.") from None
    freq = _check_per(per)
    chosen = month.asfreq(freq, how="end")
    if chosen.end_time.normalize() > month.end_time.normalize():  # quarter not finished in that month
        chosen -= 1
    if last_complete is None:
        raise CohesieError("Er zijn geen signalen met een datum: er valt niets te vergelijken.")
    if chosen > last_complete:
        raise CohesieError(f"--until {value}: de laatste volledige periode in de gegevens is "
                           f"{period_label(last_complete)}; kies die of een vroegere maand.")
    return chosen


def signal_categories(index) -> list[str]:
    """The signal categories (``type``) present among the stored signals of ``index``."""
    from cohesie.counting import LAYER_NAMES

    codes = index.type.codes[(index.layer == LAYER_NAMES.index("signalen")) & (index.type.codes >= 0)]
    return sorted(index.type.names[np.unique(codes)].astype(str))


def check_category(index, category: str | None) -> None:
    """A Dutch error when ``category`` is not a signal category of the data."""
    if category is None:
        return
    known = signal_categories(index)
    if category not in known:
        raise CohesieError(f"Onbekende categorie '{category}'. Kies uit: {', '.join(known) or '(geen signalen)'}.")


# -- counting --------------------------------------------------------------------------------
@dataclass(frozen=True)
class SignalCube:
    """Counted signals as a dense numpy cube: ``n[area, category, period]`` (int32).

    codes, names : area codes (sorted as strings) and their names (the code when unnamed).
    categories : signal categories (sorted).
    freq : ``"M"`` or ``"Q"``; ``first`` : the ordinal (``pandas.Period.ordinal``) of period 0.
    last_date : the latest counted signal's date.

    At Flanders scale (9,562 sectors × 5 categories × 36+ months) this is about 7 MB, where the
    long table of :func:`signal_counts` is a pandas frame of 1.7 million rows.
    """

    codes: np.ndarray
    names: np.ndarray
    categories: np.ndarray
    freq: str
    first: int
    n: np.ndarray
    last_date: pd.Timestamp | None

    @property
    def ordinals(self) -> np.ndarray:
        return self.first + np.arange(self.n.shape[2], dtype=np.int64)

    def frame(self) -> pd.DataFrame:
        """The long table of :func:`signal_counts` (one row per area × category × period)."""
        n_a, n_k, n_steps = self.n.shape
        return pd.DataFrame({
            "code": np.repeat(self.codes, n_k * n_steps),
            "naam": np.repeat(self.names, n_k * n_steps),
            "categorie": np.tile(np.repeat(self.categories, n_steps), n_a),
            # from the ordinals: tiling a PeriodIndex made 1.7 million Period objects at Flanders scale
            "periode": pd.PeriodIndex.from_ordinals(np.tile(self.ordinals, n_a * n_k), freq=self.freq),
            "n": self.n.reshape(-1).astype("int64"),
        })


def signal_cube(index, sectors: pd.DataFrame, *, level: str = "wijk", per: str = "month",
                filters: Filters = Filters()) -> SignalCube | None:
    """Counted signals per area of ``level``, category (``type``) and period, zeros included,
    straight from the integer codes of ``index`` (:class:`cohesie.counting.PointIndex`) with
    one ``numpy.bincount``; None when no signal counts. The counting rules and ``filters`` as
    :func:`signal_counts` (``start``/``end`` ignored: the whole history is needed)."""
    freq = _check_per(per)
    if level not in ("sector", "wijk"):
        raise CohesieError(f"Onbekend niveau '{level}'. Kies uit: wijk, sector.")
    f = Filters(layers=("signalen",), types=filters.types, statuses=filters.statuses, wijken=filters.wijken)
    m = index.counted_mask(f) & ~index.datum_missing
    codes, kinds = index.area[level], index.type
    m &= (codes.codes >= 0) & (kinds.codes >= 0)
    if not m.any():
        return None
    dates = index.datum[m].view("datetime64[ns]")
    step = dates.astype("datetime64[M]").astype("int64")  # months since 1970-01 = Period ordinal "M"
    if freq == "Q":
        step //= 3  # quarters since 1970Q1 = Period ordinal "Q"
    first, last = int(step.min()), int(step.max())
    n_steps = last - first + 1
    area_code, kind_code = codes.codes[m].astype(np.int64), kinds.codes[m].astype(np.int64)
    # categories in string order
    used_kinds = np.unique(kind_code)
    kind_names = kinds.names[used_kinds].astype(str)
    order = np.argsort(kind_names, kind="stable")
    used_kinds, kind_names = used_kinds[order], kind_names[order]
    kind_pos = np.full(len(kinds.names), -1, np.int64)
    kind_pos[used_kinds] = np.arange(len(used_kinds))
    # every area of the level in the sectors, and any other area code a signal carries, sorted
    names_in_index = codes.names.astype(str)
    known = set(sectors[areas.LEVEL_CODE[level]].dropna().astype(str))
    all_codes = sorted(known | set(names_in_index[np.unique(area_code)]))
    area_pos_of = {c: i for i, c in enumerate(all_codes)}
    area_pos = np.array([area_pos_of.get(c, -1) for c in names_in_index], np.int64)[area_code]
    n_a, n_k = len(all_codes), len(used_kinds)
    flat = np.bincount((area_pos * n_k + kind_pos[kind_code]) * n_steps + (step - first),
                       minlength=n_a * n_k * n_steps)
    cube = flat.astype(np.int32).reshape(n_a, n_k, n_steps)
    del flat
    names = (sectors.assign(_c=sectors[areas.LEVEL_CODE[level]].astype(str))
             .drop_duplicates("_c").set_index("_c")[areas.LEVEL_NAME[level]])
    code_arr = pd.Series(np.array(all_codes, dtype=object))
    return SignalCube(codes=code_arr.to_numpy(dtype=object),
                      names=code_arr.map(names).fillna(code_arr).to_numpy(dtype=object),
                      categories=kind_names.astype(object), freq=freq, first=first, n=cube,
                      last_date=pd.Timestamp(dates.max()))


def signal_counts(index, sectors: pd.DataFrame, *, level: str = "wijk", per: str = "month",
                  filters: Filters = Filters()) -> tuple[pd.DataFrame, pd.Timestamp | None]:
    """Counted signals per area of ``level``, category (``type``) and period, zeros included.

    Parameters
    ----------
    index : cohesie.counting.PointIndex
        The numpy index of the loaded records (built once per data version).
    sectors : DataFrame
        The sectors (area codes and names of every level).
    filters : Filters
        Types, statuses and wijken of the signals; ``start``/``end`` are ignored (the whole
        history is needed).

    Returns
    -------
    (counts, last_date)
        ``counts``: columns ``code, naam, categorie, periode`` (``pandas.Period``), ``n``
        (int64), one row per area × category × period from the first to the last signal's
        period, sorted; ``last_date``: the latest counted signal's date (or None).
        (:func:`signal_cube` holds the same counts as a numpy cube, what :func:`alerts` uses.)
    """
    freq = _check_per(per)
    cube = signal_cube(index, sectors, level=level, per=per, filters=filters)
    if cube is None:
        return pd.DataFrame({"code": pd.Series(dtype=object), "naam": pd.Series(dtype=object),
                             "categorie": pd.Series(dtype=object), "periode": pd.Series(dtype=f"period[{freq}]"),
                             "n": pd.Series(dtype="int64")}), None
    return cube.frame(), cube.last_date


# -- the model -------------------------------------------------------------------------------
def _design(t: np.ndarray, cycle: int, *, trend: bool, season: bool, origin: float = 0.0) -> np.ndarray:
    columns = [np.ones(len(t))]
    if trend:
        columns.append((t - origin) / cycle)  # years from the tested period: well-conditioned
    if season:
        angle = 2 * np.pi * t / cycle
        columns += [np.sin(angle), np.cos(angle)]
    return np.column_stack(columns)


def expected_count(history: np.ndarray, steps: np.ndarray, target_step: int, *, cycle: int,
                   min_signals: int = 10) -> tuple[float, float, str]:
    """Expected count of ``target_step`` from the counts ``history`` at ``steps``.

    Returns ``(mean, predictive variance, model)`` where ``model`` is ``trend+seizoen``,
    ``seizoen``, ``trend``, ``constant`` (which terms the fitted GLM kept). The predictive
    variance is φ·μ (φ = Pearson dispersion, at least 1) plus the variance of μ̂ (delta method).
    """
    import statsmodels.api as sm
    from scipy import stats

    y = np.asarray(history, dtype="float64")
    # time relative to the tested period (0): a well-conditioned trend column; the season
    # harmonics depend on the calendar, so the phase is kept through ``target_step``
    t = np.asarray(steps, dtype="float64")
    rich = y.sum() >= min_signals
    season = rich and len(y) >= 2 * cycle
    trend = rich and len(y) >= cycle
    candidates = [(trend, season), (False, season)] if trend else [(False, season)]
    x_new_t = np.array([float(target_step)])
    start = None
    for i, (with_trend, with_season) in enumerate(candidates):
        X = _design(t, cycle, trend=with_trend, season=with_season, origin=target_step)
        if start is not None:  # the season of the fit with trend: fewer iterations
            start = np.r_[np.log(max(y.mean(), 1e-3)), start[2:]]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                res = sm.GLM(y, X, family=sm.families.Poisson()).fit(start_params=start)
            except Exception:  # noqa: BLE001 - a degenerate series falls back to a simpler model
                continue
        params = np.asarray(res.params)
        start = params if np.all(np.isfinite(params)) else None
        if not np.all(np.isfinite(params)):
            continue
        x_new = _design(x_new_t, cycle, trend=with_trend, season=with_season, origin=target_step)[0]
        eta = float(x_new @ params)
        mu = float(np.exp(min(eta, 700.0)))
        if not mu <= 10 * y.max() + 10:  # a fit that ran away: use the simpler model
            continue
        # quasi-Poisson: the Pearson dispersion of the history, at least 1
        phi = max(1.0, float(res.pearson_chi2) / float(res.df_resid)) if res.df_resid > 0 else 1.0
        cov = np.asarray(res.cov_params()) * phi
        if with_trend and i == 0:
            z_trend = params[1] / np.sqrt(cov[1, 1]) if cov[1, 1] > 0 else 0.0
            p_trend = float(2 * stats.norm.sf(abs(z_trend)))
            if not (p_trend < 0.05 and mu <= TREND_CAP * y.max()):
                continue  # as Farrington: a trend only when significant and not over-extrapolating
        var_eta = float(x_new @ cov @ x_new)
        variance = phi * mu + mu * mu * max(var_eta, 0.0)
        model = "+".join([k for k, on in (("trend", with_trend), ("seizoen", with_season)) if on]) or "constant"
        return mu, variance, model
    # only reached for an all-zero or degenerate history: the plain mean
    mu = float(y.mean()) if len(y) else 0.0
    return mu, max(mu, 0.0), "constant"


def upper_p_value(observed: float, mean: float, variance: float) -> float:
    """P(Y ≥ observed) for Y negative binomial with ``mean`` and ``variance`` (Poisson when the
    variance does not exceed the mean); scipy."""
    from scipy import stats

    if observed <= 0:
        return 1.0
    if mean <= 0:
        return 0.0
    if variance <= mean * (1 + 1e-9):
        return float(stats.poisson.sf(observed - 1, mean))
    size = mean * mean / (variance - mean)
    return float(stats.nbinom.sf(observed - 1, size, size / (size + mean)))


def test_series(counts: pd.DataFrame, *, per: str = "month", period: pd.Period | None = None,
                settings: AlertSettings = AlertSettings()) -> pd.DataFrame:
    """The numbers of :func:`alerts` without texts: one row per ``code, categorie``.

    ``counts``: columns ``code, naam, categorie, periode`` (Period) and ``n``, as
    :func:`signal_counts` returns (zeros included). Columns of the result:
    :data:`ALERT_COLUMNS`, ``opmerking`` a Dutch key (``te_korte_geschiedenis``,
    ``geen_geschiedenis`` or ``""``).
    """
    freq = _check_per(per)
    cycle = CYCLE[per]
    window = settings.history or 3 * cycle
    guard = cycle // 2 if settings.guard is None else settings.guard
    if counts.empty:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in ALERT_COLUMNS})
    if period is None:
        period = counts["periode"].max()
    period = pd.Period(period, freq=freq)
    rows = []
    for (code, category), series in counts.groupby(["code", "categorie"], sort=True):
        steps = np.asarray(pd.PeriodIndex(series["periode"]).asi8)
        target = period.ordinal
        values = series["n"].to_numpy()
        observed = int(values[steps == target].sum())
        past = (steps < target - guard) & (steps >= target - guard - window)
        y, t = values[past], steps[past]
        row = {"code": code, "naam": series["naam"].iloc[0], "categorie": category,
               "periode": period_label(period), "waargenomen": observed, "verwacht": np.nan,
               "p_waarde": np.nan, "model": "", "opmerking": ""}
        if len(y) < cycle:
            row["opmerking"] = "te_korte_geschiedenis"
        elif y.sum() == 0:
            row["opmerking"] = "geen_geschiedenis"
            row["verwacht"] = 0.0
        else:
            mu, var, model = expected_count(y, t, target, cycle=cycle, min_signals=settings.min_signals)
            row.update(verwacht=mu, p_waarde=upper_p_value(observed, mu, var), model=model)
        rows.append(row)
    return _corrected(pd.DataFrame(rows), settings)


def _corrected(out: pd.DataFrame, settings: AlertSettings) -> pd.DataFrame:
    """Benjamini-Hochberg over the tested rows, the excess and the flag; :data:`ALERT_COLUMNS`."""
    from statsmodels.stats.multitest import multipletests

    tested = out["p_waarde"].notna()
    out["p_gecorrigeerd"] = np.nan
    if tested.any():
        out.loc[tested, "p_gecorrigeerd"] = multipletests(out.loc[tested, "p_waarde"].to_numpy(),
                                                          method="fdr_bh")[1]
    out["overschot"] = out["waargenomen"] - out["verwacht"]
    out["opvallend"] = (tested & (out["p_gecorrigeerd"] <= settings.alpha)
                        & (out["overschot"] >= settings.min_excess)).astype(bool)
    return out[ALERT_COLUMNS]


def test_cube(cube: SignalCube | None, *, per: str = "month", period: pd.Period | None = None,
              settings: AlertSettings = AlertSettings()) -> pd.DataFrame:
    """:func:`test_series` of the counts in ``cube`` (:func:`signal_cube`) up to ``period``
    (default the cube's last), the same rows and numbers, without the long table: the history
    window is one slice of the cube, series whose history is too short or all zero are settled
    for all areas at once, and only the others are fitted (:func:`expected_count`)."""
    freq = _check_per(per)
    cycle = CYCLE[per]
    window = settings.history or 3 * cycle
    guard = cycle // 2 if settings.guard is None else settings.guard
    if cube is None:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in ALERT_COLUMNS})
    if cube.freq != freq:
        raise ValueError(f"cube counted per {cube.freq}, tested per {freq}")
    n_a, n_k, n_steps = cube.n.shape
    target = (cube.first + n_steps - 1) if period is None else pd.Period(period, freq=freq).ordinal
    if target < cube.first:  # nothing up to the period (as test_series of an empty table)
        return pd.DataFrame({c: pd.Series(dtype=object) for c in ALERT_COLUMNS})
    pos = min(target, cube.first + n_steps - 1) - cube.first  # last period held, up to the target
    # the history: periods in [target - guard - window, target - guard), as held by the cube
    lo = max(target - guard - window - cube.first, 0)
    hi = min(max(target - guard - cube.first, 0), pos + 1)
    lo = min(lo, hi)
    history = cube.n[:, :, lo:hi]
    steps = (cube.first + np.arange(lo, hi)).astype("float64")
    observed = (cube.n[:, :, target - cube.first] if target - cube.first < n_steps
                else np.zeros((n_a, n_k), np.int32)).reshape(-1).astype("int64")
    total = history.sum(axis=2, dtype=np.int64).reshape(-1)
    n = n_a * n_k
    expected = np.full(n, np.nan)
    p_value = np.full(n, np.nan)
    model = np.full(n, "", dtype=object)
    note = np.full(n, "", dtype=object)
    if hi - lo < cycle:
        note[:] = "te_korte_geschiedenis"
    else:
        never = total == 0
        note[never] = "geen_geschiedenis"
        expected[never] = 0.0
        flat = history.reshape(n, hi - lo)
        fitted: dict[bytes, tuple[float, float, str]] = {}  # every series shares the steps: one fit
        for i in np.flatnonzero(~never):                     # per distinct history (the same numbers)
            key = flat[i].tobytes()
            if key not in fitted:
                fitted[key] = expected_count(flat[i].astype("float64"), steps, target, cycle=cycle,
                                             min_signals=settings.min_signals)
            mu, var, kind = fitted[key]
            expected[i], p_value[i], model[i] = mu, upper_p_value(int(observed[i]), mu, var), kind
    label = period_label(pd.Period(ordinal=target, freq=freq))
    out = pd.DataFrame({
        "code": np.repeat(cube.codes, n_k), "naam": np.repeat(cube.names, n_k),
        "categorie": np.tile(cube.categories, n_a), "periode": np.full(n, label, dtype=object),
        "waargenomen": observed, "verwacht": expected, "p_waarde": p_value, "model": model, "opmerking": note,
    })
    return _corrected(out, settings)


# -- the view model ----------------------------------------------------------------------------
def method_text(per: str, settings: AlertSettings, lang: str) -> str:
    cycle = CYCLE[per]
    years = (settings.history or 3 * cycle) / cycle
    return translate(
        "Per gebied en categorie is {periode} vergeleken met wat de eigen geschiedenis "
        "({jaren} jaar, het halfjaar net ervoor niet meegeteld) laat verwachten: een Poisson-regressie met trend en seizoen, met ruimte voor "
        "extra spreiding. Opvallend = na correctie voor het aantal getoetste reeksen (Benjamini-Hochberg) "
        "significant op {alpha} en minstens {min} signalen boven de verwachting. Een opvallende stijging is "
        "een reden om te kijken, geen bewijs van een probleem.", lang,
        periode=translate("de laatste volledige maand" if per == "month" else "het laatste volledige kwartaal",
                          lang),
        jaren=_fmt(lang).number(years, 0 if float(years).is_integer() else 1),
        alpha=_fmt(lang).percent(settings.alpha * 100), min=_fmt(lang).number(settings.min_excess, 0))


def _fmt(lang: str):
    from cohesie.formatting import formatter

    return formatter(lang)


def _shown(table: pd.DataFrame, *, lang: str, admin: bool, level: str) -> pd.DataFrame:
    from cohesie import privacy

    fmt = _fmt(lang)
    t = lambda text, **kw: translate(text, lang, **kw)  # noqa: E731
    notes = {"te_korte_geschiedenis": t("te korte geschiedenis: niet getoetst"),
             "geen_geschiedenis": t("nooit eerder signalen in deze categorie: niet getoetst"), "": ""}

    def count(v):
        return privacy.PRIMARY if not admin and 1 <= v < privacy.THRESHOLD else fmt.integer(v)

    order = table.assign(_f=~table["opvallend"], _p=table["p_waarde"].fillna(2.0)).sort_values(
        ["_f", "_p", "code", "categorie"], kind="stable")
    return pd.DataFrame({
        t("Wijk" if level == "wijk" else "Sector"): order["naam"].astype(str) + " (" + order["code"].astype(str) + ")",
        t("Categorie"): order["categorie"].astype(str),
        t("Periode"): order["periode"].astype(str),
        t("Waargenomen"): [count(v) for v in order["waargenomen"]],
        t("Verwacht"): [fmt.number(v, 1, empty="") for v in order["verwacht"]],
        t("p-waarde"): [fmt.number(v, 3, empty="") for v in order["p_waarde"]],
        t("Opvallend"): [t("ja") if v else t("nee") for v in order["opvallend"]],
        t("Opmerking"): [notes.get(v, v) for v in order["opmerking"]],
    }).reset_index(drop=True)


def alerts_from_counts(counts: pd.DataFrame, *, per: str = "month", period: pd.Period | None = None,
                       settings: AlertSettings = AlertSettings(), lang: str = "nl", admin: bool = False,
                       level: str = "wijk") -> Alerts:
    """:class:`Alerts` for ``counts`` (as :func:`signal_counts` returns them)."""
    table = test_series(counts, per=per, period=period, settings=settings)
    return _alerts_of_table(table, per=per, settings=settings, lang=lang, admin=admin, level=level)


def _alerts_of_table(table: pd.DataFrame, *, per: str, settings: AlertSettings, lang: str, admin: bool,
                     level: str) -> Alerts:
    notes = []
    short = int((table["opmerking"] == "te_korte_geschiedenis").sum())
    never = int((table["opmerking"] == "geen_geschiedenis").sum())
    if short:
        notes.append(translate("{n} reeks(en) niet getoetst: minder dan een jaar geschiedenis voor de getoetste "
                               "periode.", lang, n=_fmt(lang).integer(short)))
    if never:
        notes.append(translate("{n} reeks(en) niet getoetst: in de geschiedenis nooit een signaal van die "
                               "categorie in dat gebied (een eerste signaal is geen stijging die we kunnen "
                               "toetsen).", lang, n=_fmt(lang).integer(never)))
    label = str(table["periode"].iloc[0]) if len(table) else ""
    return Alerts(table=table, shown=_shown(table, lang=lang, admin=admin, level=level), period=label,
                  method=method_text(per, settings, lang), notes=notes)


def alerts(index, sectors: pd.DataFrame, *, level: str = "wijk", per: str = "month",
           until: str | None = None, filters: Filters = Filters(), settings: AlertSettings = AlertSettings(),
           lang: str = "nl", admin: bool = False) -> Alerts:
    """The early warning for every area of ``level`` × signal category: counts the signals
    of ``index`` (:class:`cohesie.counting.PointIndex`) and tests the latest complete period
    up to ``until`` (``YYYY-MM``; default the last complete period in the data).

    Deterministic; cache it with :func:`alerts_key` and the data version.
    """
    cube = signal_cube(index, sectors, level=level, per=per, filters=filters)
    last = last_complete_period(None if cube is None else cube.last_date, per)
    if last is None:
        raise CohesieError("Er zijn geen signalen met een datum: er valt niets te vergelijken.")
    period = parse_until(until, per, last)
    # the counts as a numpy cube, not the long table of signal_counts (1.7 million rows at
    # Flanders sector level): the same table as alerts_from_counts(signal_counts(...))
    table = test_cube(cube, per=per, period=period, settings=settings)
    return _alerts_of_table(table, per=per, settings=settings, lang=lang, admin=admin, level=level)


# -- kept per data version (issue 15: a server start or first visit does not fit again) ----------
#: raise when the test changes: tables kept by an earlier version of it are not read again
KEPT_FORMAT = 1


def _kept(sectors: pd.DataFrame, *, version: int, level: str, per: str, settings: AlertSettings) -> tuple[str, str]:
    """The name and key under which the store keeps :func:`alerts`' table of every signal for
    this data version, area division, level, period and settings."""
    import hashlib

    from cohesie.counting import index_key

    _check_per(per)
    digest = hashlib.sha1(repr((KEPT_FORMAT, settings, ALERT_COLUMNS)).encode("utf-8")).hexdigest()[:12]
    return f"alerts_{level}_{per}", f"{index_key(version, sectors)}-{digest}"


def kept_table(store, sectors: pd.DataFrame, *, version: int, level: str = "wijk", per: str = "month",
               settings: AlertSettings = AlertSettings()) -> pd.DataFrame | None:
    """The table (:data:`ALERT_COLUMNS`) that :func:`alerts_kept` stored, or ``None``."""
    name, key = _kept(sectors, version=version, level=level, per=per, settings=settings)
    table = store.read_frame(name, key)
    if table is None or list(table.columns) != ALERT_COLUMNS or table.empty:
        return None
    return table


def kept_alerts(store, sectors: pd.DataFrame, *, version: int, level: str = "wijk", per: str = "month",
                settings: AlertSettings = AlertSettings(), lang: str = "nl", admin: bool = False) -> Alerts | None:
    """The :class:`Alerts` of every signal (no filters, the latest complete period) that
    :func:`alerts_kept` stored for this data version, or ``None`` when there are none (another
    version or area division, a missing or damaged file). Reads; fits nothing."""
    table = kept_table(store, sectors, version=version, level=level, per=per, settings=settings)
    if table is None:
        return None
    return _alerts_of_table(table, per=per, settings=settings, lang=lang, admin=admin, level=level)


def alerts_kept(store, index, sectors: pd.DataFrame, *, version: int, level: str = "wijk", per: str = "month",
                settings: AlertSettings = AlertSettings(), lang: str = "nl", admin: bool = False) -> Alerts:
    """:func:`alerts` of every signal of ``index`` (no filters, the latest complete period),
    read from ``store`` when it kept them for this data version (:func:`kept_alerts`), else
    fitted and kept for the next server start. The same numbers either way; the texts are made
    in ``lang`` each time. Raises :func:`alerts`' Dutch error when there is nothing to test."""
    found = kept_alerts(store, sectors, version=version, level=level, per=per, settings=settings, lang=lang,
                        admin=admin)
    if found is not None:
        return found
    result = alerts(index, sectors, level=level, per=per, settings=settings, lang=lang, admin=admin)
    if not result.table.empty:
        name, key = _kept(sectors, version=version, level=level, per=per, settings=settings)
        store.write_frame(name, key, result.table)  # False (a read-only disk): fitted again next start
    return result


def alerts_key(*, level: str, per: str, until: str | None, filters: Filters,
               settings: AlertSettings, lang: str, admin: bool) -> tuple:
    """A hashable key of :func:`alerts`' arguments besides the data (add the data version)."""
    from cohesie.counting import filters_key

    return (level, per, until or "", filters_key(filters), settings, lang, bool(admin))
