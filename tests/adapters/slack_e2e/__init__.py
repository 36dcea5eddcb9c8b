"""Slack end to end over HTTP on loopback, against our fake of Slack's Web API."""
