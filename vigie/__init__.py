"""Vigie: social listening and territorial watch for French local authorities."""

__version__ = "0.1.0"
