"""Airflow's ``hostname_callable`` for several Celery workers on one machine.

Airflow records, for each task instance, the host that ran it (``hostname_callable``, default the FQDN).
Two workers on one machine share the FQDN, so ``make airflow-celery`` gives each worker its Celery node
name in ``VIGIE_WORKER_NAME`` (e.g. ``worker1@host``) and points ``AIRFLOW__CORE__HOSTNAME_CALLABLE`` here:
the task instances then say which worker ran them. Elsewhere (no variable) it is the FQDN, as before.
"""

from __future__ import annotations

import os
import socket


def hostname() -> str:
    return os.environ.get("VIGIE_WORKER_NAME") or socket.getfqdn()
