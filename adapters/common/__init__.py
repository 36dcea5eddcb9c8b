"""What every chat platform's adapter shares: the answer delivered, Retry-After, requests from here, channel members."""
