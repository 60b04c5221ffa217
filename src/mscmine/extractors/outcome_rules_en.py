"""The outcome rules of English results (the abstracts of Chinese articles, English papers): one
pattern and one builder for each way of writing a result. Their order, and so their precedence,
is the table's (`extractors.outcomes.RULES`).
"""

from __future__ import annotations

import regex

from .cues import ENGLISH, direction_between, direction_of
from .measures import NUMERIC_MEASURES, measure_code
from .outcome_rule import Context, OutcomeMatch, OutcomeRule, after_measures

# the measures the English patterns name, where the lexicon has no English name for them
_NAMED = {"proteinuria": "proteinuria", "anti-dsdna": "anti_dsDNA", "creatinine": "creatinine"}


def _code(surface: str) -> str:
    code = measure_code(surface)
    return code if code != "other" else _NAMED.get(surface.lower(), "other")


# --- "12 of the 15 ulcers healed"

_N_OF_M = regex.compile(
    r"""
    (?<![\w.])(?P<n>\d{1,4})\s+of\s+(?:the\s+)?(?P<of>\d{1,4})
    \s+(?:[a-z\-]+\s+){0,3}?                         # what was counted: "digital ulcers"
    (?P<verb>healed|closed|improved|responded|resolved)\b
    """,
    regex.IGNORECASE | regex.VERBOSE,
)


def _n_of_m(m, text: str, ctx: Context) -> OutcomeMatch:
    return OutcomeMatch(m.start(), m.end(), "other", float(m.group("n")), "count", False, None, {"of": int(m.group("of"))})


# a measure's suffix ("-2K", "-28"): a few word characters, possessive (a space must follow it,
# so giving characters back never helps); unbounded, it ran over a whole run of Chinese text
# (every Han character is \w) at every measure name, quadratic in the run
_SUFFIX_MAX = 16  # characters
_SUFFIX = r"(?:-?\w{1,%d}+)?" % _SUFFIX_MAX

# --- after any measure of the lexicon: "the SLEDAI score fell from 12.6±3.8 to 5.1±2.4",
# "SLEDAI-2K decreased from 10 to 4"

_FROM_TO = regex.compile(
    _SUFFIX + r"""(?:\s+(?:scores?|levels?|values?))?\s+               # "-2K", " score"
    (?P<verb>fell|decreased|declined|dropped|improved|increased|rose)
    \s+from\s+(?P<before>\d+(?:\.\d+)?)(?:\s?±\s?\d+(?:\.\d+)?)?    # the SD is dropped
    \s+to\s+(?P<after>\d+(?:\.\d+)?)
    """,
    regex.IGNORECASE | regex.VERBOSE,
)


def _from_to(m, text: str, ctx: Context) -> OutcomeMatch | None:
    code = measure_code(m.group("m"))
    if code not in NUMERIC_MEASURES:
        return None
    before, after = float(m.group("before")), float(m.group("after"))
    return OutcomeMatch(m.start(), m.end(), code, after, "score", False, direction_between(before, after), {"before": before})


# --- a count with its percentage: "7 (9%) of the 76 patients relapsed"

_COUNT_PCT = regex.compile(
    r"""
    (?<![\w.])(?P<n>\d{1,5})\s?\((?P<pct>\d+(?:\.\d+)?)%\)
    (?:\sof\sthe\s\d+\s(?:patients|cases))?
    \s(?P<verb>relapsed|died|improved|responded|achieved\ (?:complete\ |clinical\ )?remission)
    """,
    regex.IGNORECASE | regex.VERBOSE,
)


def _count_pct(m, text: str, ctx: Context) -> OutcomeMatch:
    verb = m.group("verb").lower()
    measure = "relapse" if verb == "relapsed" else "mortality" if verb == "died" else "remission_rate" if "remission" in verb else "other"
    return OutcomeMatch(m.start(), m.end(), measure, float(m.group("pct")), "%", False, None, {"count": int(m.group("n"))})


# --- a rate: "The remission rate was 60%", "the overall response was 62.5%"

_RATE = regex.compile(
    r"""
    (?P<m>(?:complete\s+|partial\s+|clinical\s+|overall\s+)?(?P<renal>renal\s+)?(?:remission|response|survival|relapse|mortality|effective|recurrence))
    \s+(?:rates?\s+(?:was|were|of|reached|is|at)?|was|were|reached)
    \s*(?P<pct>\d+(?:\.\d+)?)\s?%
    """,
    regex.IGNORECASE | regex.VERBOSE,
)
_RATE_MEASURES = {"remission": "remission_rate", "response": "response_rate", "effective": "response_rate",
                  "survival": "survival_rate", "relapse": "relapse", "recurrence": "relapse", "mortality": "mortality"}


def _rate(m, text: str, ctx: Context) -> OutcomeMatch:
    # lupus nephritis' "renal response" is its remission (the corpus guidelines' remission_rate)
    measure = "remission_rate" if m.group("renal") else _RATE_MEASURES[m.group("m").split()[-1].lower()]
    return OutcomeMatch(m.start(), m.end(), measure, float(m.group("pct")), "%")


# --- a measure that changed without a number: "SLEDAI scores decreased significantly"

_CHANGED = regex.compile(
    r"""
    (?<![A-Za-z])(?P<m>SLEDAI|DAS28|VAS|ESR|CRP|mRSS|HAQ|ESSDAI|proteinuria|anti-dsDNA|creatinine)""" + _SUFFIX + r"""
    (?:\s+(?:scores?|levels?|values?))?\s+(?:were\s+|was\s+)?(?:significantly\s+|markedly\s+|obviously\s+)?
    (?P<verb>decreased|reduced|declined|improved|increased|elevated)\b
    """,
    regex.IGNORECASE | regex.VERBOSE,
)


def _measure_changed(m, text: str, ctx: Context) -> OutcomeMatch:
    return OutcomeMatch(m.start(), m.end(), _code(m.group("m")), None, None, False, direction_of(m.group("verb"), at_start=True, cues=ENGLISH))


# --- "a significant improvement in DAS28", "marked reductions in proteinuria and SLEDAI"

_IMPROVEMENT = regex.compile(
    r"""
    \b(?:significant|marked|substantial)\s+(?P<verb>improvement|reduction|decrease|increase|decline)s?\s+in\s+(?:the\s+)?
    (?P<m>SLEDAI|DAS28|VAS|ESR|CRP|mRSS|HAQ|ESSDAI|BASDAI|EDSS|HbA1c|WOMAC|proteinuria|anti-dsDNA|creatinine)
    """,
    regex.IGNORECASE | regex.VERBOSE,
)


def _improvement_in(m, text: str, ctx: Context) -> OutcomeMatch:
    return OutcomeMatch(m.start(), m.end(), _code(m.group("m")), None, None, False, direction_of(m.group("verb"), at_start=True, cues=ENGLISH))


# --- deaths counted: "including 1 death", "2 patients died"

_DEATHS = regex.compile(r"(?<![\w.])(?P<n>\d{1,5})\s(?:deaths?\b|patients? died\b)", regex.IGNORECASE)


def _deaths(m, text: str, ctx: Context) -> OutcomeMatch:
    return OutcomeMatch(m.start(), m.end(), "mortality", float(m.group("n")), "count")


N_OF_M = OutcomeRule("en_n_of_m", _N_OF_M, _n_of_m)
FROM_TO = OutcomeRule("en_from_to", _FROM_TO, _from_to, after_measures)
COUNT_PCT = OutcomeRule("en_count_pct", _COUNT_PCT, _count_pct)
RATE = OutcomeRule("en_rate", _RATE, _rate)
MEASURE_CHANGED = OutcomeRule("en_measure_changed", _CHANGED, _measure_changed)
IMPROVEMENT_IN = OutcomeRule("en_improvement_in", _IMPROVEMENT, _improvement_in)
DEATHS = OutcomeRule("en_deaths", _DEATHS, _deaths)
