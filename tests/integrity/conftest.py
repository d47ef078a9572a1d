from tests.competitions.conftest import case_pack, contest, signed_in  # noqa: F401
from tests.drills.conftest import sample_pack  # noqa: F401  (the eight-question pack of every type)
from tests.exams.conftest import make_exam  # noqa: F401
