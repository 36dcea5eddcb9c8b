"""tyhybot's platform-neutral core: domain, rules, flows, neutral cards, dates and texts."""
