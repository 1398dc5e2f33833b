"""Vigie: social listening and territorial watch for French local authorities."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("vigie")
except PackageNotFoundError:  # running from a clone without installing it
    __version__ = "0.0.0"
