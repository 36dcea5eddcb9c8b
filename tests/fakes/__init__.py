"""Fakes of the platforms' web APIs, served over HTTP on loopback, that record every call."""
