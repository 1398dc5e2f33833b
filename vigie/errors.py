"""Errors a user can fix, shared by every layer; the command line turns them into exit codes.

They live in the core so that a stage raises them and the application catches them without either
importing the other: ``vigie.indexes`` raises ``ClusterUnavailable`` and ``LocalNodeError``,
``vigie.clikit.handles_errors`` maps them to exit code 3.
"""

from __future__ import annotations


class ClusterUnavailable(RuntimeError):
    """The Elasticsearch cluster cannot be used; the message says why and what to do."""


class LocalNodeError(RuntimeError):
    """The local Elasticsearch node cannot be set up or started; the message says what and how."""
