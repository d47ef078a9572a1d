"""Imports every area's models so that Alembic and `db.create_all` see the whole schema."""

from drill.accounts.models import Branch, User  # noqa: F401
from drill.appraisal.models import (  # noqa: F401
    AuditLog,
    IndicatorImport,
    LevelChange,
    Occurrence,
    Period,
    Rating,
    Record,
    RewardPenalty,
    SchemeVersion,
)
from drill.attempts.models import Attempt, AttemptItem  # noqa: F401
from drill.authoring.models import Draft, DraftFile, PackSource  # noqa: F401
from drill.competitions.models import (  # noqa: F401
    Calibration,
    Competition,
    JudgeScore,
    Participant,
    PeerReview,
    ReviewAllocation,
    Round,
    RoundJudge,
    ScoreEvent,
)
from drill.content.models import Pack, PackAsset, PackVersion, Question, QuestionVersion  # noqa: F401
from drill.drills.models import (  # noqa: F401
    Assignment,
    AssignmentQuestion,
    AssignmentReminder,
    AssignmentTarget,
    NotebookEntry,
)
from drill.exams.models import Certificate, Exam, ExamAdjustment, Mark, MarkChange  # noqa: F401
from drill.integrity.models import (  # noqa: F401
    FlagDecision,
    IntegrityEvent,
    IntegritySettings,
    PaperWatch,
    SimilarityFlag,
)
