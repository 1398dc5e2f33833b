"""Alerts on emerging local topics: detect, deduplicate, escalate, deliver (see docs/alerts.md)."""
