"""Tests of the Teams adapter's pure parts: Adaptive Cards rendered from real flows, activities parsed."""
