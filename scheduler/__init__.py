"""The annual calendar turned into jobs, and the delivery outbox."""
