"""What every chat platform's adapter shares: the core's answer delivered, Retry-After, requests from here."""
