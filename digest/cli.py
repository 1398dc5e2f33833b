"""The `vigie digest` command (filled by the digest work)."""

COMMANDS: list = []
