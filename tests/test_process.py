"""drill.process: the cyclic collector paused for bulk jobs, which a worker's threads may run at once."""

import gc

from drill.process import without_cyclic_gc


def test_overlapping_jobs_keep_the_collector_paused_until_the_last_ends_then_restore_it():
    assert gc.isenabled()
    first, second = without_cyclic_gc(), without_cyclic_gc()
    first.__enter__()
    second.__enter__()
    first.__exit__(None, None, None)  # the first job ends while the second still runs
    assert not gc.isenabled()
    second.__exit__(None, None, None)
    assert gc.isenabled()


def test_a_collector_that_was_off_stays_off_and_a_failing_job_restores_it():
    gc.disable()
    try:
        with without_cyclic_gc():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
    try:
        with without_cyclic_gc():
            raise ValueError("the job failed")
    except ValueError:
        pass
    assert gc.isenabled()
