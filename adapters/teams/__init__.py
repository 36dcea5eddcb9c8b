"""The Microsoft Teams adapter: Bot Framework activities in, Adaptive Cards out."""
