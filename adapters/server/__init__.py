"""The running server: aiohttp routes, the composition root, the runtime and its jobs, metrics, logging, checks."""
