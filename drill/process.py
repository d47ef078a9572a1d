"""The process's garbage collector: settled once a serving process has loaded its app
(gunicorn: `drill.gunicorn_config`), and paused for bulk jobs."""

import gc
from contextlib import contextmanager


def settle() -> None:
    """Take what the process has loaded (modules, mappers, the app and its extensions: some 175,000
    objects) out of the cyclic garbage collector's way. Each full collection walks every tracked object,
    and a request that reads thousands of rows triggers one: 90 ms of a 5,000-candidate release went into
    walking objects that live as long as the process (#14). Frozen objects are still freed by reference
    counting; only cycles among them would stay, and they live until the process ends anyway."""
    gc.collect()
    gc.freeze()


@contextmanager
def without_cyclic_gc():
    """For a bulk job (the roll-up, an import) that makes millions of small acyclic objects (rows,
    records, parsed questions): reference counting frees them, and the cyclic collector's repeated passes
    over them cost more than the job itself. Paused for the job and restored after; process-wide, so
    other threads only keep their cyclic garbage a few seconds longer."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()
