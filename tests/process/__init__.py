"""Tests that run the bot as real server processes: kills, restarts and replicas."""
