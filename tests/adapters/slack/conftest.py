"""Fixtures for the Slack adapter tests: the flow fixtures, whose demo counts its row ids from 1 on every run."""

from __future__ import annotations

from tests.bot.flows.conftest import START, Demo, chat, clock, demo  # noqa: F401
