"""The web dashboard: its data, SVG charts and exports, served by the aiohttp pages."""
