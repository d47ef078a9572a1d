"""What a serving process does once, when its app is loaded (gunicorn: `drill.gunicorn_config`)."""

import gc


def settle() -> None:
    """Take what the process has loaded (modules, mappers, the app and its extensions: some 175,000
    objects) out of the cyclic garbage collector's way. Each full collection walks every tracked object,
    and a request that reads thousands of rows triggers one: 90 ms of a 5,000-candidate release went into
    walking objects that live as long as the process (#14). Frozen objects are still freed by reference
    counting; only cycles among them would stay, and they live until the process ends anyway."""
    gc.collect()
    gc.freeze()
