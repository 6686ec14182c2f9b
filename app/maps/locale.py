"""The plotly locale of the user's language: toolbar tooltips, month names and number formats.

plotly.js speaks English; static/maps.js registers this locale (`Plotly.register`) and draws in
it. The tooltips are Bereik's own msgids, translated in its catalogue like every other string;
month and day names and the decimal and thousands separators come from Babel's CLDR data of the
same language, so "1.234,5" and "mrt 2025" in the Dutch UI.
"""

from babel import Locale
from babel.dates import get_day_names, get_month_names
from babel.numbers import get_decimal_symbol, get_group_symbol
from flask_babel import get_locale, gettext

from crm.messages import N_

# plotly.js's English texts (the keys of its locale dictionaries) a coordinator may see: the buttons
# static/maps.js keeps, their notices, and the hints after a zoom or a legend click.
PLOTLY_TEXTS = (
    N_("Download plot as a PNG"),
    N_("Download plot"),
    N_("Zoom"),
    N_("Pan"),
    N_("Reset axes"),
    N_("Autoscale"),
    N_("Preparing image - this may take a few seconds"),
    N_("Image download succeeded"),
    N_("Sorry, there was a problem downloading your image!"),
    N_("Double-click to zoom back out"),
    N_("Double-click on legend to isolate one trace"),
)
# d3-time-format patterns plotly uses for dates on axes and in hover labels: day before month,
# as people write dates in Flanders.
DATE_PATTERNS = {
    "nl": {"date": "%d-%m-%Y", "dayMonth": "%-d %b", "dayMonthYear": "%-d %b %Y"},
    "en": {"date": "%d/%m/%Y", "dayMonth": "%-d %b", "dayMonthYear": "%-d %b %Y"},
}


def plotly_locale() -> dict:
    """The plotly locale module of the current UI language, as maps.js registers it."""
    locale = get_locale() or Locale("nl")
    return {
        "moduleType": "locale",
        "name": f"bereik-{locale.language}",
        "dictionary": {english: gettext(english) for english in PLOTLY_TEXTS},
        "format": plotly_format(locale),
    }


def plotly_format(locale: Locale) -> dict:
    """Month and day names, separators and date patterns of `locale` in plotly's terms."""
    return {
        "days": _sunday_first(get_day_names("wide", locale=locale)),
        "shortDays": _sunday_first(get_day_names("abbreviated", locale=locale)),
        "months": list(get_month_names("wide", locale=locale).values()),
        "shortMonths": list(
            get_month_names("abbreviated", context="stand-alone", locale=locale).values()
        ),
        "decimal": get_decimal_symbol(locale),
        "thousands": get_group_symbol(locale),
        "year": "%Y",
        "month": "%b %Y",
        **DATE_PATTERNS.get(locale.language, DATE_PATTERNS["en"]),
    }


def _sunday_first(names: dict[int, str]) -> list[str]:
    """Babel numbers the days Monday 0 … Sunday 6; d3 (and so plotly) starts on Sunday."""
    return [names[6]] + [names[day] for day in range(6)]
