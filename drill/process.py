"""The process's garbage collector: settled once a serving process has loaded its app
(gunicorn: `drill.gunicorn_config`), and paused for bulk jobs."""

import gc
import threading
from contextlib import contextmanager


def settle() -> None:
    """Take what the process has loaded (modules, mappers, the app and its extensions: some 175,000
    objects) out of the cyclic garbage collector's way. Each full collection walks every tracked object,
    and a request that reads thousands of rows triggers one: 90 ms of a 5,000-candidate release went into
    walking objects that live as long as the process (#14). Frozen objects are still freed by reference
    counting; only cycles among them would stay, and they live until the process ends anyway."""
    gc.collect()
    gc.freeze()


_pauses = 0  # bulk jobs running now (threads of one worker may overlap)
_was_enabled = True
_pausing = threading.Lock()


@contextmanager
def without_cyclic_gc():
    """For a bulk job (the roll-up, an import, a release) that makes millions of small acyclic objects
    (rows, records, parsed questions, judged papers): reference counting frees them, and the cyclic
    collector's repeated passes over them cost more than the job itself. Paused from the first job that
    starts to the last that ends (a worker's threads may overlap), then restored as it was; process-wide,
    so other threads only keep their cyclic garbage a few seconds longer."""
    global _pauses, _was_enabled
    with _pausing:
        if _pauses == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _pauses += 1
    try:
        yield
    finally:
        with _pausing:
            _pauses -= 1
            if _pauses == 0 and _was_enabled:
                gc.enable()
