"""The one formatter of displayed numbers and dates: screen, tooltips, legends, PDF, PNG and
the dashboard's CSV exports all go through it (Babel, ``nl_BE`` or ``en``).

Rules:
- Dutch (Belgium): ``1.128,2`` (thousands with a point, decimals with a comma); English:
  ``1,128.2``. Never a bare ``11.117`` for a small decimal number: decimals are always written
  with the locale's decimal sign, and a value below 1000 has no thousands separator, so
  ``11,117`` km² can never be read as eleven thousand.
- Counts are whole numbers; rates get the decimals of their kind (:data:`DECIMALS`).
- Empty is empty: ``None``/``NaN`` give ``""`` (tables) or the "no data" text where a value is
  expected (metrics, tooltips): :meth:`Formatter.value` takes ``empty=``.
- Text values (e.g. a suppressed count "< 5") pass through unchanged.

The command line's ``indicators`` output does not use this module: it stays machine-readable
(``,`` separated, ``.`` decimals) because scripts read it.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
from dataclasses import dataclass

from babel.numbers import format_decimal, format_percent

from cohesie.layers import LAYERS

LOCALES = {"nl": "nl_BE", "en": "en"}
NO_DATA = {"nl": "geen gegevens", "en": "no data"}

#: Decimals per column kind: counts 0, per-1000 rates of signals 1 and of the few other
#: records (pleinmakers, furniture, projects, actors: 0,05 per 1000 in a city) 2, per-km²
#: rates 1, percentages 0, area in km² 2, density 0, ratios to the city 2.
COUNT_COLUMNS = ("inwoners", *LAYERS, "zorgsignalen", "meubilair_voorstel", "projecten_voorstel")


def decimals_of(column: str | None) -> int:
    """How many decimals a value of ``column`` is shown with."""
    if column is None:
        return 1
    if column in COUNT_COLUMNS:
        return 0
    if column.endswith("_pct") or column == "pct":
        return 0
    if column == "oppervlakte_km2":
        return 2
    if column == "inwoners_per_km2":
        return 0
    if column.endswith("_tov_stad") or column in ("verhouding", "ratio"):
        return 2
    if column.endswith("_per_1000"):
        # one decimal would show the city's 4 pleinmakers per 88.000 inhabitants as "0,0"
        return 1 if column.startswith(("signalen", "zorgsignalen")) else 2
    return 1


@functools.lru_cache(maxsize=8192)
def _decimal(value: float, pattern: str, locale: str) -> str:
    """Babel's ``format_decimal``, kept for the values shown again (every tooltip and figure of a
    map is formatted on every new filter set; most values recur). Equal floats give equal text,
    ``-0.0`` and ``0.0`` included (:meth:`Formatter.number` drops the sign of a zero)."""
    return format_decimal(value, format=pattern, locale=locale)


def is_empty(value) -> bool:
    if value is None:
        return True
    try:
        return bool(isinstance(value, float) and math.isnan(value)) or (
            hasattr(value, "__float__") and not isinstance(value, str) and math.isnan(float(value)))
    except (TypeError, ValueError):
        return False


@dataclass(frozen=True)
class Formatter:
    """Numbers and dates for one language (``"nl"`` or ``"en"``)."""

    lang: str = "nl"

    @property
    def locale(self) -> str:
        return LOCALES.get(self.lang, "nl_BE")

    @property
    def no_data(self) -> str:
        return NO_DATA.get(self.lang, NO_DATA["nl"])

    def number(self, value, decimals: int = 1, *, empty: str = "", sign: bool = False) -> str:
        """``value`` with exactly ``decimals`` decimals (``1.128,2``); text passes through."""
        if isinstance(value, str):
            return value
        if is_empty(value):
            return empty
        value = float(value)
        if decimals == 0:
            value = round(value)
        pattern = "#,##0" + ("." + "0" * decimals if decimals > 0 else "")
        if sign:
            pattern = "+" + pattern + ";-" + pattern
        text = _decimal(value, pattern, self.locale)
        if round(value, max(decimals, 0)) == 0 and text[:1] in "+-":
            # what rounds to zero has no sign: "0,0", never "-0,0"; a change of zero is "±0,0"
            return ("±" if sign else "") + text[1:]
        return text

    def integer(self, value, *, empty: str = "") -> str:
        return self.number(value, 0, empty=empty)

    def value(self, value, column: str | None = None, *, empty: str | None = None) -> str:
        """A value of an indicator column, with the decimals of its kind (``empty`` defaults
        to the "no data" text)."""
        return self.number(value, decimals_of(column), empty=self.no_data if empty is None else empty)

    def percent(self, value, decimals: int = 0, *, empty: str | None = None) -> str:
        """A percentage given in percent (``36`` → ``36 %``)."""
        if isinstance(value, str):
            return value
        if is_empty(value):
            return self.no_data if empty is None else empty
        return f"{self.number(value, decimals)} %" if self.lang == "nl" else f"{self.number(value, decimals)}%"

    def fraction_percent(self, value, decimals: int = 0) -> str:
        """A fraction as percent (``0.36`` → ``36 %``)."""
        if is_empty(value):
            return self.no_data
        fmt = "#,##0" + ("." + "0" * decimals if decimals else "") + " %"
        return format_percent(float(value), format=fmt if self.lang == "nl" else fmt.replace(" %", "%"),
                              locale=self.locale)

    def km2(self, value) -> str:
        return f"{self.number(value, 2, empty=self.no_data)} km²"

    def date(self, value, *, empty: str = "") -> str:
        """``31/12/2024`` (Belgian day/month/year in both languages; unambiguous in the UI)."""
        if value is None or (not isinstance(value, (dt.date, dt.datetime)) and is_empty(value)):
            return empty
        try:
            import pandas as pd

            if pd.isna(value):
                return empty
            value = pd.Timestamp(value)
        except (TypeError, ValueError):
            return str(value)
        return value.strftime("%d/%m/%Y")

    def datetime(self, value, *, empty: str = "") -> str:
        try:
            import pandas as pd

            if value is None or pd.isna(value):
                return empty
            return pd.Timestamp(value).strftime("%d/%m/%Y %H:%M")
        except (TypeError, ValueError):
            return str(value)

    def range(self, low, high, decimals: int = 1) -> str:
        """A legend class ``a – b``."""
        return f"{self.number(low, decimals)} – {self.number(high, decimals)}"

    def column_format(self, column: str) -> str:
        """A printf-style format for ``st.column_config.NumberColumn`` that keeps the column
        numeric (sortable) and shows it like :meth:`value` does (``"localized"`` picks the
        browser's separators, which may not be Belgian, so the pattern is explicit)."""
        d = decimals_of(column)
        return "%." + str(d) + "f"

    def table(self, frame, *, columns: dict[str, str] | None = None):
        """A copy of ``frame`` with every numeric column as text in this language (exports
        and PDF tables); empty cells become ``""``."""
        import pandas as pd

        out = pd.DataFrame(index=frame.index)
        for col in frame.columns:
            series = frame[col]
            if pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series):
                d = decimals_of((columns or {}).get(col, col))
                out[col] = [self.number(v, d) for v in series]
            elif pd.api.types.is_datetime64_any_dtype(series):
                out[col] = [self.date(v) for v in series]
            else:
                out[col] = ["" if is_empty(v) else (self.value(v, col) if isinstance(v, float) else str(v))
                            for v in series]
        return out


def formatter(lang: str = "nl") -> Formatter:
    return Formatter(lang if lang in LOCALES else "nl")


def month_label(value, lang: str = "nl") -> str:
    """A month as ``jan 2025`` / ``Jan 2025`` (charts of counts per month)."""
    import pandas as pd
    from babel.dates import format_date

    if value is None or pd.isna(value):
        return ""
    return format_date(pd.Timestamp(value).date(), "MMM yyyy", locale=LOCALES.get(lang, "nl_BE"))


def period_text(label: str, lang: str = "nl") -> str:
    """A tested period as a reader says it: ``2026-10`` → ``okt 2026``, ``2026-Q3`` →
    ``kwartaal 3 van 2026`` (the ISO labels stay the keys in links and the command line)."""
    import pandas as pd

    from cohesie.i18n import translate

    if not label:
        return ""
    if "-Q" in label:
        year, q = label.split("-Q")
        return translate("kwartaal {q} van {jaar}", lang, q=q, jaar=year)
    return month_label(pd.Period(label, freq="M").to_timestamp(), lang)


def plain_number(value, decimals: int, *, lang: str = "nl") -> str:
    """A number for a CSV cell: the locale's decimal sign, no thousands separator (``7486``,
    ``613,4``), so a spreadsheet in that locale reads it as a number; empty stays empty."""
    if isinstance(value, str):
        return value
    if is_empty(value):
        return ""
    text = f"{round(float(value), decimals):.{decimals}f}"
    if text in ("-0", "-0." + "0" * decimals):
        text = text[1:]
    return text.replace(".", ",") if lang == "nl" else text


def decimals_shown(text: str, *, lang: str = "nl") -> int:
    """How many decimals a formatted number shows (``"1.136,4"`` → 1 in Dutch)."""
    sign = "," if lang == "nl" else "."
    digits = str(text).strip().split(" ")[0]
    return len(digits.rsplit(sign, 1)[1]) if sign in digits else 0


def vega_number_expr(decimals: int, lang: str = "nl") -> str:
    """A Vega expression writing ``datum.value`` like :meth:`Formatter.number` with at most
    ``decimals`` decimals, trailing zeros trimmed (an Altair axis's ``labelExpr``)."""
    text = f"format(datum.value, ',.{decimals}~f')"
    if formatter(lang).locale.startswith("nl"):
        # d3 writes 1,128.2; swap the separators to 1.128,2 through a placeholder
        text = (f"replace(replace(replace({text}, regexp(',', 'g'), '_'), regexp('\\\\.', 'g'), ','), "
                "regexp('_', 'g'), '.')")
    return text
