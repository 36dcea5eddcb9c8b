"""Tests of the web dashboard: its data, SVG charts and exports."""
