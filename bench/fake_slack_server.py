"""The fake Slack Web API in a process of its own, for benches: Slack answers from elsewhere, not from the loop
that generates the load (which would otherwise spend its time answering our server's chat.update calls).

`python -m bench.fake_slack_server` serves the fake (the same routes as the tests' fake_slack) on 127.0.0.1,
prints its port, and stops when its standard input closes.
"""

from __future__ import annotations

import asyncio

from bench.child_server import serve_until_released
from tests.fakes.slack_api import FakeSlack

if __name__ == "__main__":
    asyncio.run(serve_until_released(FakeSlack().application()))
