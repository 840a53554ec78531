"""Run `tokentide backfill` in a child process against the fake index (for the SIGKILL test): argv = db, and
the wheels are rebuilt here exactly as the test builds them."""

from __future__ import annotations

import sys

from tests.collectors.test_backfill import _wheels
from tests.collectors.wheels import FakeIndex
from tokentide.cli import main
from tokentide.collectors import fetching
from tokentide.commands import backfill as backfill_command

if __name__ == "__main__":
    index = FakeIndex(_wheels())
    backfill_command.make_client = lambda **kw: fetching.make_client(transport=index.transport())
    sys.exit(main(["--db", sys.argv[1], "backfill", "--source", "litellm", "--quiet"]))
