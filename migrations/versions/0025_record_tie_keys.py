"""record tie keys (#14): appraisal_records.tie_keys, each dimension's contribution kept beside the trail, so
that a roll-up orders the ties of a province's managers without reading and parsing every finer record's
trail (drill.appraisal.period_records.add_ties). Filled here from the trails already stored.

Revision ID: 0025_record_tie_keys
Revises: 0024_assignment_target_people
"""

import sqlalchemy as sa
from alembic import op

revision = "0025_record_tie_keys"
down_revision = "0024_assignment_target_people"
branch_labels = None
depends_on = None

POSTGRESQL = """
UPDATE appraisal_records SET tie_keys = coalesce((
    SELECT json_agg((d.value ->> 'contribution')::float ORDER BY d.position)
    FROM json_array_elements(CASE WHEN json_typeof(trail -> 'dimensions') = 'array'
                                  THEN trail -> 'dimensions' ELSE '[]'::json END)
         WITH ORDINALITY AS d(value, position)
    WHERE d.value ->> 'contribution' IS NOT NULL
), '[]'::json)
"""

SQLITE = """
UPDATE appraisal_records SET tie_keys = (
    SELECT json_group_array(json_extract(d.value, '$.contribution'))
    FROM (SELECT value FROM json_each(trail, '$.dimensions') ORDER BY key) AS d
    WHERE json_extract(d.value, '$.contribution') IS NOT NULL
)
"""


def upgrade():
    op.add_column("appraisal_records", sa.Column("tie_keys", sa.JSON(), nullable=True))
    op.execute(POSTGRESQL if op.get_bind().dialect.name == "postgresql" else SQLITE)


def downgrade():
    with op.batch_alter_table("appraisal_records") as batch:
        batch.drop_column("tie_keys")
