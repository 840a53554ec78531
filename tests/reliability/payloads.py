"""Hypothesis strategies for hostile payloads in every source format: mostly the right shape, wrong inside.

Each strategy builds the document a source serves, with hostile values where a parser looks: prices of
every type (negative, NaN, infinite, absurd, huge, tiny, strings that are not numbers), missing keys,
unicode and control characters in names and ids, deep nesting, and now and then a whole document of
random JSON instead of the expected envelope.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from typing import Any

from hypothesis import strategies as st

# Hostile scalars that parsers meet in the wild or that break naive code.
NASTY_NUMBERS = st.sampled_from(
    [
        "-1", "", " ", "abc", "0", "-0", "0.0", "1e999999999", "-1e-999999999", "1E+400", "NaN", "nan", "Infinity",
        "-inf", "0x10", "1_000", "١٢٣", "½", "0.00000000000000000001", "99999999999999999999999999", "1,5", "$3",
        "null", "true", "\u0000", "1e-7", "0.000002", "15", "10000.01",
    ]
)  # fmt: skip
TEXT = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=40)
IDS = st.one_of(
    st.sampled_from(["openai/gpt-4o", "anthropic/claude-3.5-haiku", "gpt-4o-2024-08-06", "x", "a/b/c:free"]),
    TEXT,
    st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789-./:_", min_size=1, max_size=30),
)
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True),
    TEXT,
)
JSON_VALUES = st.recursive(
    SCALARS,
    lambda children: st.one_of(st.lists(children, max_size=4), st.dictionaries(TEXT, children, max_size=4)),
    max_leaves=12,
)
PRICES = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.floats(min_value=0, max_value=0.01),  # plausible per-token prices
    st.floats(min_value=0, max_value=200),  # plausible per-Mtok prices
    st.integers(min_value=-(10**25), max_value=10**25),
    NASTY_NUMBERS,
    st.builds(str, st.floats(min_value=-1, max_value=1e6, allow_nan=False)),
    st.none(),
    JSON_VALUES,
)
TIMESTAMPS = st.one_of(
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from(["2026-01-01", "2026-13-45", "1999-12-31T23:59:59Z", "yesterday", "", "0000-00-00"]),
    st.none(),
)


def _partial(**fields: st.SearchStrategy[Any]) -> st.SearchStrategy[dict[str, Any]]:
    """A dict holding any subset of the given keys (missing keys are the point)."""
    return st.fixed_dictionaries({}, optional=fields)


def _or_garbage(shape: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """Mostly the real shape; sometimes random JSON in its place."""
    return st.one_of(shape, shape, shape, shape, JSON_VALUES)


OPENROUTER_ENTRY = _or_garbage(
    _partial(
        id=IDS,
        name=TEXT,
        created=TIMESTAMPS,
        context_length=SCALARS,
        pricing=_or_garbage(
            _partial(
                prompt=PRICES,
                completion=PRICES,
                request=PRICES,
                image=PRICES,
                internal_reasoning=PRICES,
                input_cache_read=PRICES,
                input_cache_write=PRICES,
                web_search=PRICES,
            )
        ),
        supported_parameters=st.one_of(st.lists(st.sampled_from(["reasoning", "tools", "include_reasoning"])), SCALARS),
        reasoning=st.one_of(st.dictionaries(TEXT, SCALARS, max_size=2), SCALARS),
    )
)
OPENROUTER = _or_garbage(
    st.one_of(
        st.builds(lambda xs: {"data": xs}, st.lists(OPENROUTER_ENTRY, max_size=8)),
        st.lists(OPENROUTER_ENTRY, max_size=8),
    )
)
ENDPOINT = _or_garbage(
    _partial(
        provider_name=TEXT,
        tag=TEXT,
        context_length=SCALARS,
        quantization=SCALARS,
        status=SCALARS,
        pricing=_or_garbage(_partial(prompt=PRICES, completion=PRICES, input_cache_read=PRICES, request=PRICES)),
    )
)
OPENROUTER_ENDPOINTS = _or_garbage(
    st.lists(
        _or_garbage(
            st.builds(
                lambda model_id, name, endpoints: {"data": {"id": model_id, "name": name, "endpoints": endpoints}},
                IDS,
                TEXT,
                st.lists(ENDPOINT, max_size=4),
            )
        ),
        max_size=4,
    )
)
LITELLM = _or_garbage(
    st.dictionaries(
        st.one_of(IDS, st.just("sample_spec")),
        _or_garbage(
            _partial(
                litellm_provider=st.one_of(TEXT, SCALARS),
                input_cost_per_token=PRICES,
                output_cost_per_token=PRICES,
                cache_read_input_token_cost=PRICES,
                output_cost_per_reasoning_token=PRICES,
                max_input_tokens=SCALARS,
                supports_reasoning=SCALARS,
                mode=SCALARS,
            )
        ),
        max_size=8,
    )
)
MODELSDEV = _or_garbage(
    st.dictionaries(
        TEXT,
        _or_garbage(
            _partial(
                id=TEXT,
                doc=SCALARS,
                models=_or_garbage(
                    st.dictionaries(
                        IDS,
                        _or_garbage(
                            _partial(
                                name=TEXT,
                                release_date=TIMESTAMPS,
                                last_updated=TIMESTAMPS,
                                reasoning=SCALARS,
                                open_weights=SCALARS,
                                family=SCALARS,
                                limit=JSON_VALUES,
                                cost=_or_garbage(
                                    _partial(
                                        input=PRICES,
                                        output=PRICES,
                                        cache_read=PRICES,
                                        cache_write=PRICES,
                                        reasoning=PRICES,
                                    )
                                ),
                            )
                        ),
                        max_size=5,
                    )
                ),
            )
        ),
        max_size=3,
    )
)
_GENAI_PRICES = _or_garbage(
    _partial(
        input_mtok=st.one_of(PRICES, _partial(base=PRICES, tiers=JSON_VALUES)),
        output_mtok=PRICES,
        cache_read_mtok=PRICES,
        cache_write_mtok=PRICES,
    )
)
GENAI_PRICES = _or_garbage(
    st.lists(
        _or_garbage(
            _partial(
                id=st.one_of(TEXT, SCALARS),
                pricing_urls=JSON_VALUES,
                models=_or_garbage(
                    st.lists(
                        _or_garbage(
                            _partial(
                                id=st.one_of(IDS, SCALARS),
                                name=TEXT,
                                context_window=SCALARS,
                                prices=st.one_of(
                                    _GENAI_PRICES,
                                    st.lists(
                                        _partial(constraint=_partial(start_date=TIMESTAMPS), prices=_GENAI_PRICES),
                                        max_size=3,
                                    ),
                                ),
                            )
                        ),
                        max_size=5,
                    )
                ),
            )
        ),
        max_size=3,
    )
)
_STEP = _or_garbage(
    _partial(
        start=TIMESTAMPS,
        rates=st.one_of(st.none(), _partial(input=PRICES, output=PRICES, cache_read=PRICES, valid_from=TIMESTAMPS)),
    )
)
MODEL_PRICES = _or_garbage(
    _partial(
        updated_at=TIMESTAMPS,
        prices=_or_garbage(
            st.dictionaries(
                TEXT,
                _or_garbage(
                    st.dictionaries(IDS, _or_garbage(_partial(standard=st.lists(_STEP, max_size=4))), max_size=4)
                ),
                max_size=3,
            )
        ),
    )
)

EPOCH_COLUMNS = (
    "Model",
    "Organization",
    "Publication date",
    "Country (of organization)",
    "Model accessibility",
    "Link",
)
MILESTONE_COLUMNS = (
    "model_id", "model_name", "author", "country", "family", "tier", "release_date", "price_date", "event",
    "usd_per_mtok_input", "usd_per_mtok_output", "usd_per_mtok_cache_read", "is_reasoning", "is_open_weights",
    "source_url", "note", "provider", "currency",
)  # fmt: skip
PLAUSIBLE_CELLS = ["2024-05-13", "2026-02-30", "United States", "China,France", "Open weights (unrestricted)", "USD"]
CELLS = st.one_of(TEXT, NASTY_NUMBERS, st.sampled_from([*PLAUSIBLE_CELLS, "true", "EUR"]))


def _csv(columns: tuple[str, ...], rows: list[list[str]], drop: int | None) -> bytes:
    header = [c for i, c in enumerate(columns) if i != drop]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    for row in rows:
        writer.writerow([cell for i, cell in enumerate(row) if i != drop])
    return out.getvalue().encode("utf-8")


def csv_payload(columns: tuple[str, ...]) -> st.SearchStrategy[bytes]:
    """A CSV with the source's header (sometimes missing one required column) and hostile cells."""
    rows = st.lists(st.lists(CELLS, min_size=len(columns), max_size=len(columns)), max_size=8)
    drop = st.one_of(st.none(), st.none(), st.none(), st.integers(min_value=0, max_value=len(columns) - 1))
    return st.builds(lambda r, d: _csv(columns, r, d), rows, drop)


def json_payload(shape: st.SearchStrategy[Any]) -> st.SearchStrategy[bytes]:
    """The document as bytes: JSON (non-finite floats as the NaN/Infinity tokens Python's json accepts)."""
    return st.builds(lambda value: json.dumps(value, ensure_ascii=False).encode("utf-8"), shape)


EPOCH_WIDE_COLUMNS = (
    "Model Name", "Release Date", "USD per 1M Tokens", "MMLU", "GPQA Diamond", "LMSys Chatbot Arena ELO",
    "is_reasoning",
)  # fmt: skip
EPOCH_HUB_COLUMNS = ("Model version", "mean_score", "Release date", "Organization")


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


EPOCH_BENCHMARKS = st.one_of(
    csv_payload(EPOCH_WIDE_COLUMNS),
    csv_payload(EPOCH_HUB_COLUMNS),
    st.builds(lambda a, b: _zip({"data/gpqa_diamond.csv": a, "notes.csv": b}), csv_payload(EPOCH_HUB_COLUMNS),
              csv_payload(EPOCH_WIDE_COLUMNS)),
    st.builds(lambda cut, data: _zip({"x.csv": data})[:cut], st.integers(0, 200), csv_payload(EPOCH_HUB_COLUMNS)),
)  # fmt: skip
AA_ENTRY = _or_garbage(
    _partial(
        id=IDS, slug=IDS, name=TEXT, release_date=TIMESTAMPS, model_creator=_or_garbage(_partial(slug=TEXT, name=TEXT)),
        evaluations=_or_garbage(_partial(artificial_analysis_intelligence_index=PRICES, gpqa=PRICES, mmlu_pro=PRICES,
                                         hle=PRICES)),
        pricing=_or_garbage(_partial(price_1m_blended_3_to_1=PRICES)),
    )
)  # fmt: skip
ARTIFICIAL_ANALYSIS = _or_garbage(
    st.one_of(st.builds(lambda xs: {"status": 200, "data": xs}, st.lists(AA_ENTRY, max_size=8)), st.lists(AA_ENTRY))
)

PAYLOADS: dict[str, st.SearchStrategy[bytes]] = {
    "openrouter": json_payload(OPENROUTER),
    "openrouter-endpoints": json_payload(OPENROUTER_ENDPOINTS),
    "litellm": json_payload(LITELLM),
    "modelsdev": json_payload(MODELSDEV),
    "genai-prices": json_payload(GENAI_PRICES),
    "model-prices": json_payload(MODEL_PRICES),
    "epoch": csv_payload(EPOCH_COLUMNS),
    "milestones": csv_payload(MILESTONE_COLUMNS),
    "epoch-benchmarks": EPOCH_BENCHMARKS,
    "artificial-analysis": json_payload(ARTIFICIAL_ANALYSIS),
}


def deeply_nested(source: str, depth: int) -> bytes:
    """The source's envelope with a price nested `depth` lists deep (or, for CSV sources, a deep cell)."""
    if source in ("epoch", "milestones", "epoch-benchmarks"):
        columns = {"epoch": EPOCH_COLUMNS, "milestones": MILESTONE_COLUMNS}.get(source, EPOCH_WIDE_COLUMNS)
        return _csv(columns, [["[" * depth] * len(columns)], None)
    deep = "[" * depth + "]" * depth
    return f'{{"data": [{{"id": "x/y", "pricing": {{"prompt": {deep}}}}}], "prices": {deep}}}'.encode()
