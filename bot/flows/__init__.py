"""Conversation flows: each owns its commands and the card actions under its prefix."""
