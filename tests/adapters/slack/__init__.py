"""Tests of the Slack adapter: Block Kit rendering and payload parsing."""
