"""The edges of tyhybot: the command line, the aiohttp server and the chat platform adapters."""
