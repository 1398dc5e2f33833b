"""What every ``vigie`` command shares: exit codes, error handling and safe printing.

Core layer: the commands of each package (``vigie.crawlers.cli``, ``vigie.alerts.cli``…) and
``vigie.cli`` use it; it imports no stage package, so errors a stage raises are the core's
(``vigie.errors``, ``vigie.config``).
"""

from __future__ import annotations

import sys
from functools import wraps

import click

EXIT_FAILED = 1
EXIT_CONFIG = 2
EXIT_CLUSTER = 3


def console():
    from rich.console import Console

    return Console(highlight=False, soft_wrap=True)


def escape(text: str | None, limit: int | None = None) -> str:
    """Crawled text is printed as text: no console markup, no control characters, bounded length."""
    from rich.markup import escape as rich_escape

    from vigie.textsafe import printable

    return rich_escape(printable(text, limit))


def fail(message: str, code: int = EXIT_FAILED):
    click.echo(f"error: {message}", err=True)
    sys.exit(code)


def settings_for(config_path=None, **flags):
    """The run's ``Settings``, built once per command: ``--config``, else ``VIGIE_CONFIG``, else the demo;
    ``flags``: the command's own setting flags (None when not given)."""
    from vigie.settings import Settings

    return Settings.resolve(config=config_path, **{k: v for k, v in flags.items() if v is not None})


CONFIG_HELP = "Watch file (default: $VIGIE_CONFIG, else the demo territory's)."


def handles_errors(func):
    """Turn the errors a user can fix into a clear message and an exit code."""

    @wraps(func)
    def wrapper(*args, **kwargs):
        from vigie.config import ConfigError, UnknownWatch
        from vigie.errors import ClusterUnavailable, LocalNodeError, PipelineLoadError, SettingsError

        try:
            return func(*args, **kwargs)
        except ConfigError as exc:
            click.echo(f"error: {exc.path} is not a valid watch file:", err=True)
            for problem in exc.problems:
                click.echo(f"  - {problem}", err=True)
            sys.exit(EXIT_CONFIG)
        except (UnknownWatch, SettingsError) as exc:
            fail(str(exc), EXIT_CONFIG)
        except (ClusterUnavailable, LocalNodeError) as exc:
            fail(str(exc), EXIT_CLUSTER)
        except PipelineLoadError as exc:  # enrichment must not go on without a component
            fail(str(exc), EXIT_FAILED)
        except Exception as exc:
            from elasticsearch import ConnectionError as ESConnectionError

            from vigie.settings import ESSettings

            if isinstance(exc, ESConnectionError):
                fail(f"lost the connection to Elasticsearch at {ESSettings.from_env().display_url}: "
                     "nothing already written is lost; run the same command again once it is back.",
                     EXIT_CLUSTER)
            raise

    return wrapper


def handles_errors_and_values(func):
    """``handles_errors``, plus a command's own invalid values (a ValueError): its message, exit 1."""

    @wraps(func)
    def values(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except ValueError as exc:
            fail(str(exc), EXIT_FAILED)

    return handles_errors(values)
