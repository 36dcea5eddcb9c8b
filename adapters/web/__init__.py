"""The web pages: the local chat and the dashboard, over a shared page layout and SVG helpers."""
