"""gunicorn settings that belong to the code, not to a deployment:
`gunicorn --config python:drill.gunicorn_config 'drill:create_app()'` (deploy/systemd/drill@.service,
bench/servers.py). Command-line options still win."""

from drill import process


def post_worker_init(worker) -> None:
    """Called in each worker once it has built the app, before its first request."""
    process.settle()
