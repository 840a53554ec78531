"""Filter and option widgets bound to the URL query: a link reproduces the view, the view updates the link."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

import streamlit as st

from tokentide.analytics.prices import PROVIDER_SELECTIONS
from tokentide.analytics.tiers import TIER_RULES
from tokentide.reporting.dataset import Dataset
from tokentide.reporting.filters import (
    DATE_MAX,
    DATE_MIN,
    FILTER_KEYS,
    MULTI_KEYS,
    OPEN_CHOICES,
    REASONING_CHOICES,
    WEIGHT_PRESETS,
    Filters,
    parse_filters,
    tier_values,
)
from tokentide.reporting.options import OPTION_SPECS, OptionSpec, as_date, parse_option
from tokentide.reporting.publishing import public_link
from tokentide.reporting.scope import Scope

SEEDED = "_tt_seeded"
PAGE_OPTIONS = "_tt_page_options"
CONTEXT = "_tt_context"
CUSTOM = "custom…"
WIDGET = {
    "tiers": "f_tiers",
    "providers": "f_providers",
    "authors": "f_authors",
    "countries": "f_countries",
    "date_from": "f_from",
    "date_to": "f_to",
    "reasoning": "f_reasoning",
    "open_weights": "f_open",
    "weights": "f_weights",
    "as_of": "f_asof",
    "tier_rule": "f_rule",
    "pick": "f_pick",
}


@dataclass(frozen=True)
class PageContext:
    dataset: Dataset
    filters: Filters
    scope: Scope


def query_input() -> dict[str, list[str]]:
    """The URL query as lists (a key may repeat); keys we do not know are ignored."""
    known = (*FILTER_KEYS, *OPTION_SPECS)
    return {key: st.query_params.get_all(key) for key in known if key in st.query_params}


def _seed(filters: Filters) -> None:
    state = st.session_state
    for attr in MULTI_KEYS.values():
        state[WIDGET[attr]] = list(getattr(filters, attr))
    for attr in ("date_from", "date_to", "as_of", "reasoning", "open_weights", "tier_rule", "pick"):
        state[WIDGET[attr]] = getattr(filters, attr)
    state[WIDGET["weights"]] = filters.weights if filters.weights in WEIGHT_PRESETS else CUSTOM
    state["f_weights_custom"] = filters.weights
    state["_tt_warnings"] = filters.warnings


def seed_from_url() -> None:
    """Once per session: the link's filters become the widgets' state (untrusted text stays data)."""
    if not st.session_state.get(SEEDED):
        _seed(parse_filters(query_input()))
        st.session_state[SEEDED] = True


def reset_filters() -> None:
    _seed(Filters())  # also clears the link's warnings
    for key in [k for k in st.session_state if str(k).startswith("o_")]:
        del st.session_state[key]


def _rule_option(name: str) -> str:
    """The tier rule as the selectbox shows it: price-band warns that it selects on price."""
    return TIER_RULES[name].label


def _multiselect(label: str, attr: str, options: list[str], help_text: str) -> None:
    chosen = list(st.session_state.get(WIDGET[attr], []))
    everything = list(dict.fromkeys([*options, *chosen]))  # a value from a link stays, even if unknown
    st.multiselect(label, everything, key=WIDGET[attr], help=help_text, placeholder="all")


def filter_widgets(data: Dataset) -> None:
    """The sidebar filters; their state is the single source of truth after the first run."""
    _multiselect("Tier", "tiers", list(tier_values()), "Tier under the chosen tier rule")
    _multiselect("Provider (serving)", "providers", data.options("provider"), "Who sells the tokens")
    _multiselect("Author (model maker)", "authors", data.options("author"), "Who made the model")
    _multiselect("Country of the maker", "countries", data.options("author_country"), "ISO code of the maker's HQ")
    left, right = st.columns(2)
    left.date_input("Released from", key=WIDGET["date_from"], min_value=DATE_MIN, max_value=DATE_MAX, value=None)
    right.date_input("to", key=WIDGET["date_to"], min_value=DATE_MIN, max_value=DATE_MAX, value=None)
    left, right = st.columns(2)
    left.selectbox("Reasoning", REASONING_CHOICES, key=WIDGET["reasoning"])
    right.selectbox("Open weights", OPEN_CHOICES, key=WIDGET["open_weights"])
    weight_options = [*WEIGHT_PRESETS, CUSTOM]
    st.selectbox(
        "Blend (input:output tokens)",
        weight_options,
        key=WIDGET["weights"],
        format_func=lambda w: WEIGHT_PRESETS.get(w, "custom weights…"),
    )
    if st.session_state.get(WIDGET["weights"]) == CUSTOM:
        st.text_input("Custom weights", key="f_weights_custom", help="input:output, e.g. 2:1 or 10:1", max_chars=20)
    st.date_input(
        "As of",
        key=WIDGET["as_of"],
        min_value=DATE_MIN,
        max_value=DATE_MAX,
        value=None,
        help="Show the data as it stood at the end of this day (UTC)",
    )
    left, right = st.columns(2)
    left.selectbox("Tier rule", tuple(TIER_RULES), key=WIDGET["tier_rule"], format_func=_rule_option)
    right.selectbox(
        "Provider price",
        PROVIDER_SELECTIONS,
        key=WIDGET["pick"],
        help="A model on several providers: its maker's price, the median, or the cheapest",
    )
    st.button("Reset filters", on_click=reset_filters, use_container_width=True)


def current_filters() -> Filters:
    """Filters from the widgets' state, validated exactly as a URL would be."""
    state = st.session_state
    query: dict[str, str | list[str]] = {key: list(state.get(WIDGET[attr], [])) for key, attr in MULTI_KEYS.items()}
    for key, attr in (("from", "date_from"), ("to", "date_to"), ("asof", "as_of")):
        value = state.get(WIDGET[attr])
        if isinstance(value, date):
            query[key] = value.isoformat()
    query["reasoning"] = str(state.get(WIDGET["reasoning"], "all"))
    query["open"] = str(state.get(WIDGET["open_weights"], "all"))
    weights = state.get(WIDGET["weights"], "3:1")
    query["w"] = str(state.get("f_weights_custom", "3:1") if weights == CUSTOM else weights)
    query["rule"] = str(state.get(WIDGET["tier_rule"], "positioning"))
    query["pick"] = str(state.get(WIDGET["pick"], "first-party"))
    return parse_filters(query)


def option(
    key: str,
    *,
    where: st.delta_generator.DeltaGenerator | None = None,
    choices: list[str] | None = None,
    label: str | None = None,
    labels: Mapping[str, str] | None = None,
) -> str:
    """A page option widget, seeded from the URL on first show, its value written back to the URL."""
    spec: OptionSpec = OPTION_SPECS[key]
    widget_key = f"o_{key}"
    target = where or st
    if widget_key not in st.session_state:
        seeded = parse_option(spec, st.query_params.get_all(key) if key in st.query_params else None)
        st.session_state[widget_key] = _widget_value(spec, seeded)
    text = label or spec.label
    if spec.kind == "choice":
        target.segmented_control(text, list(spec.choices or ()), key=widget_key, help=spec.help or None)
    elif spec.kind == "date":
        target.date_input(text, key=widget_key, min_value=DATE_MIN, max_value=DATE_MAX)
    elif spec.kind == "number":
        target.number_input(
            text, key=widget_key, min_value=spec.minimum, max_value=spec.maximum, help=spec.help or None
        )
    elif spec.kind == "list":
        chosen = list(st.session_state.get(widget_key) or [])
        target.multiselect(
            text,
            list(dict.fromkeys([*(choices or []), *chosen])),
            key=widget_key,
            max_selections=8,
            placeholder="type a model's name to search",
            format_func=(lambda value: labels.get(value, value)) if labels else str,
        )
    elif choices:  # a text option offered as a pick list (benchmarks, threshold models)
        if st.session_state.get(widget_key) not in choices:
            st.session_state[widget_key] = choices[0]
        target.selectbox(text, choices, key=widget_key, help=spec.help or None)
    else:
        target.text_input(text, key=widget_key, max_chars=100, placeholder="part of a name or id")
    value = parse_option(spec, _widget_text(st.session_state.get(widget_key)))
    st.session_state.setdefault(PAGE_OPTIONS, {})[key] = value
    return value


def _widget_value(spec: OptionSpec, text: str) -> object:
    if spec.kind == "date":
        return as_date(text)
    if spec.kind == "number":
        return float(text)
    if spec.kind == "list":
        return [v for v in text.split(",") if v]
    return text


def _widget_text(value: object) -> str | list[str] | None:
    if value is None:
        return None
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list):
        return [str(v) for v in value]
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def page_query(filters: Filters) -> dict[str, str]:
    options = st.session_state.get(PAGE_OPTIONS, {})
    extra = {k: v for k, v in options.items() if v != OPTION_SPECS[k].default}
    return {**filters.to_query(), **extra}


def current_link(filters: Filters) -> str:
    """The shareable link of the view so far (filters and the options rendered up to now), on the configured
    public base URL when there is one."""
    context = st.session_state.get(CONTEXT)
    base = context.dataset.public_url if context is not None else None
    return public_link(base, st.context.url, page_query(filters))


def write_url(filters: Filters) -> str:
    """Put the view into the address bar (only when it changed) and return the shareable link."""
    wanted = page_query(filters)
    if {k: st.query_params.get(k) for k in st.query_params} != wanted:
        st.query_params.from_dict(wanted)
    return current_link(filters)


def start_page_run() -> None:
    st.session_state[PAGE_OPTIONS] = {}


def set_context(context: PageContext) -> None:
    st.session_state[CONTEXT] = context


def context() -> PageContext:
    return st.session_state[CONTEXT]
