"""Imports every area's models so that Alembic and `db.create_all` see the whole schema."""

from drill.accounts.models import Branch, User  # noqa: F401
from drill.authoring.models import Draft, DraftFile, PackSource  # noqa: F401
from drill.content.models import Pack, PackAsset, PackVersion, Question, QuestionVersion  # noqa: F401
from drill.drills.models import Assignment, AssignmentTarget, Attempt, AttemptItem, NotebookEntry  # noqa: F401
from drill.exams.models import Certificate, Exam, ExamAdjustment, Mark, MarkChange  # noqa: F401
