"""Influence and engagement analytics per territory."""
