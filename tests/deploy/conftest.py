from tests.drills.conftest import sample_pack  # noqa: F401  (the eight-question pack of every type)
