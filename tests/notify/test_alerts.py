"""Alert rules, the JSON-lines file, the webhook (never blocking, never logging its URL) and the Atom feed."""

from __future__ import annotations

import json
import logging
import threading
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from xml.etree import ElementTree as ET

import httpx
import pytest

from tests.collectors.helpers import FakeClock, client_factory, json_response, sequence, settings
from tests.conftest import fixture_bytes
from tokentide.collectors.run import Collector
from tokentide.collectors.sources import AlertRule
from tokentide.notify.alerts import Notifier, WebhookSender, match_alerts, redact, rule_matches
from tokentide.notify.feed import ATOM_NS, atom_feed
from tokentide.warehouse.price_changes import PriceChange

DAY1 = fixture_bytes("openrouter_2026-02-27_877c8fc77a_bare_array.json")
DAY2 = fixture_bytes("openrouter_2026-02-27_9868fb6ca3_bare_array.json")
SECRET_HOOK = "https://hooks.example.test/services/T000/B000/very-secret-token"


def change(
    model: str = "anthropic/claude-3.5-haiku",
    provider: str = "Google Vertex",
    pct: float = -25.0,
    event: str = "price_change",
) -> PriceChange:
    return PriceChange(
        "openrouter-endpoints",
        model,
        "google-vertex",
        provider.lower(),
        model.split("/")[0],
        "claude-3-5-haiku",
        event,
        "usd_per_mtok_input",
        Decimal("0.8"),
        Decimal("0.6"),
        pct,
        "down" if pct < 0 else "up",
        "paid",
        "paid",
        datetime(2026, 11, 1),
        5,
        4,
    )


def test_rules_filter_on_model_provider_author_source_threshold_and_direction() -> None:
    cut = change()
    assert rule_matches(AlertRule("all"), cut)
    assert rule_matches(AlertRule("globs", models=["ANTHROPIC/*"], providers=["google*"]), cut)
    assert rule_matches(AlertRule("normalised provider", providers=["google-vertex"]), cut)
    assert not rule_matches(AlertRule("other maker", authors=["openai"]), cut)
    assert not rule_matches(AlertRule("other source", sources=["litellm"]), cut)
    assert rule_matches(AlertRule("big cuts", min_pct=20, direction="down"), cut)
    assert not rule_matches(AlertRule("bigger cuts", min_pct=30), cut)
    assert not rule_matches(AlertRule("rises", direction="up"), cut)
    alerts = match_alerts([AlertRule("a"), AlertRule("b", authors=["openai"]), AlertRule("c")], [cut])
    assert [a.rules for a in alerts] == [("a", "c")]


def test_a_collect_writes_alert_lines_and_the_atom_feed(db_path: Path, tmp_path: Path) -> None:
    alerts_file, feed_file = tmp_path / "out" / "alerts.jsonl", tmp_path / "out" / "changes.atom"
    config = settings(
        db_path, {"openrouter": {}},
        alerts={"jsonl_path": str(alerts_file), "atom_path": str(feed_file),
                "rules": [{"name": "deepseek cuts", "models": ["deepseek/*"], "direction": "down", "min_pct": 10}]},
    )  # fmt: skip
    clock = FakeClock()
    handler, _ = sequence([json_response(DAY1), json_response(DAY2)])
    collect = Collector(db_path, config, client_factory=client_factory(handler), timing=clock.timing())
    assert collect.run("openrouter").alerts == 0 and not alerts_file.exists()
    assert feed_file.exists()  # the feed exists from the first collect on, empty
    clock.advance(3600)
    outcome = collect.run("openrouter")
    lines = [json.loads(line) for line in alerts_file.read_text().splitlines()]
    assert outcome.alerts == len(lines) == 4  # v3 input -5% is under 10%, v3 output +13% is a rise
    assert {(a["model_id"], a["field"]) for a in lines} == {
        ("deepseek/deepseek-r1-0528", "usd_per_mtok_input"),
        ("deepseek/deepseek-r1-0528", "usd_per_mtok_output"),
        ("deepseek/deepseek-r1-0528", "usd_per_mtok_cache_read"),
        ("deepseek/deepseek-chat-v3-0324", "usd_per_mtok_cache_read"),
    }
    assert all(a["rules"] == ["deepseek cuts"] and a["summary"].startswith("openrouter deepseek/") for a in lines)
    feed = ET.parse(feed_file).getroot()
    entries = feed.findall(f"{{{ATOM_NS}}}entry")
    assert len(entries) == len(outcome.changes) == 7
    assert all(e.find(f"{{{ATOM_NS}}}id").text.startswith("urn:tokentide:change:") for e in entries)


def test_the_atom_feed_is_valid_and_newest_first() -> None:
    older, newer = change(pct=-10.0), change(model="anthropic/claude-3.7-sonnet", pct=20.0)
    newer = PriceChange(**{**newer.__dict__, "first_seen_at": datetime(2026, 11, 2, 8, 30)})
    root = ET.fromstring(atom_feed([older, newer], datetime(2026, 11, 3)))
    titles = [e.find(f"{{{ATOM_NS}}}title").text for e in root.findall(f"{{{ATOM_NS}}}entry")]
    assert titles[0].startswith("openrouter-endpoints anthropic/claude-3.7-sonnet") and len(titles) == 2
    assert root.find(f"{{{ATOM_NS}}}updated").text == "2026-11-02T08:30:00Z"


def test_the_webhook_retries_and_delivers_in_the_background(caplog: pytest.LogCaptureFixture) -> None:
    handler, seen = sequence([httpx.Response(503), httpx.Response(200)])
    sender = WebhookSender(SECRET_HOOK, attempts=3, client_factory=client_factory(handler), timing=FakeClock().timing())
    sender.send({"text": "1 alert", "alerts": []})
    sender.close(timeout_seconds=10)
    assert sender.delivered == 1 and len(seen) == 2
    assert json.loads(seen[1].content) == {"text": "1 alert", "alerts": []}


def test_a_broken_webhook_never_blocks_and_never_logs_its_url(caplog: pytest.LogCaptureFixture) -> None:
    release = threading.Event()
    released_in_time: list[bool] = []

    def slow_failing(request: httpx.Request) -> httpx.Response:
        # released only after deliver() returns: if deliver waited for the receiver, this wait would time out
        released_in_time.append(release.wait(60))
        raise httpx.ConnectError(f"cannot reach {request.url}")  # the text holds the secret URL

    sender = WebhookSender(
        SECRET_HOOK, attempts=2, client_factory=client_factory(slow_failing), timing=FakeClock().timing()
    )
    notifier = Notifier(
        settings(Path("w.duckdb"), {}, alerts={"rules": [{"name": "all"}], "jsonl_path": ""}).alerts, webhook=sender
    )
    caplog.set_level(logging.DEBUG)
    assert len(notifier.deliver([change()], datetime(2026, 11, 1))) == 1
    release.set()  # the receiver hung until now; collection went on without waiting for it
    notifier.close()
    assert released_in_time == [True, True]  # both attempts were still waiting when deliver() returned
    assert sender.failed == 1
    assert "very-secret-token" not in caplog.text and redact(SECRET_HOOK) in caplog.text
    assert redact(SECRET_HOOK) == "https://hooks.example.test/…"


def test_the_webhook_url_comes_from_the_environment_first(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TOKENTIDE_WEBHOOK_URL", SECRET_HOOK)
    config = settings(db_path, {}, alerts={"webhook_url": "https://other.example.test/hook"})
    assert config.alerts.webhook_url == SECRET_HOOK
