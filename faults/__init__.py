"""The fault suite: cases that prove the bot survives bad input, crashes and outages (`python -m faults`)."""
