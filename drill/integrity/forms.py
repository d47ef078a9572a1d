"""The integrity fields of the exam and round forms, and the organiser's decision on a flag."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, Form, IntegerField, RadioField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from drill.forms import options


class IntegrityForm(Form):
    """Embedded (FormField) in the exam form and the round form; the outer form carries the CSRF token."""

    count_leaves = BooleanField(_l("Count how often a candidate leaves the page"), default=True)
    leave_limit = IntegerField(
        _l("Submit the paper after this many page-leaves (empty: never)"),
        description=_l("The candidate is warned one page-leave before. At least 2."),
        validators=[Optional(), NumberRange(2, 50)],
    )
    block_paste = BooleanField(
        _l("Block pasting into answers (typing and input methods still work)"), default=True
    )
    fullscreen = BooleanField(_l("Ask for full screen on a computer"), default=True)
    one_device = BooleanField(
        _l("One device at a time (opening the paper elsewhere is noticed)"), default=True
    )


DECISION_LABELS = {
    "cleared": _l("No concern: the answers were written independently"),
    "follow_up": _l("Follow up: talk to the candidates or refer the case"),
}


class DecisionForm(FlaskForm):
    decision = RadioField(
        _l("Decision"), choices=options(DECISION_LABELS.items()), validators=[DataRequired()]
    )
    reason = TextAreaField(_l("Reason"), validators=[DataRequired(), Length(max=2000)])


class ComputeForm(FlaskForm):
    """A button: compare the closed papers now."""
