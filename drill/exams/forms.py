from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    DecimalField,
    FieldList,
    FormField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
    ValidationError,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from drill.accounts.forms import MultiCheckboxField
from drill.blueprint_form import CellForm, check_points, part_key
from drill.integrity.forms import IntegrityForm

PART_MIN_FORMAT = _l("Write each part as its name=minimum, e.g. Theory=60, Practical=60.")


class ExamForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    level = SelectField(_l("Certifies level"))
    category = SelectField(_l("For manager category"))
    same_paper = BooleanField(
        _l("Everyone gets the same paper (otherwise a random paper each, same blueprint)")
    )
    shuffle_questions = BooleanField(_l("Shuffle the order of questions"), default=True)
    shuffle_options = BooleanField(_l("Shuffle the options of choice questions"), default=True)
    opens_at = DateTimeLocalField(_l("Opens"), validators=[InputRequired()])
    closes_at = DateTimeLocalField(_l("Closes"), validators=[InputRequired()])
    time_limit_minutes = IntegerField(
        _l("Time limit (minutes)"), default=60, validators=[InputRequired(), NumberRange(1, 600)]
    )
    attempts_allowed = IntegerField(
        _l("Attempts allowed"), default=1, validators=[InputRequired(), NumberRange(1, 10)]
    )
    total_min = DecimalField(
        _l("Pass mark on the total (%)"), places=1, default=60, validators=[Optional(), NumberRange(0, 100)]
    )
    part_mins = StringField(
        _l("Pass mark per part (%)"), description=PART_MIN_FORMAT, validators=[Length(max=300)]
    )
    branches = SelectMultipleField(_l("For branches (none: all)"), coerce=int)
    categories = MultiCheckboxField(_l("For categories (none: all)"))
    levels = MultiCheckboxField(_l("For current levels (none: all)"))
    double_marking = BooleanField(_l("Double marking of open answers"))
    marking_threshold = DecimalField(
        _l("Third marker when two marks differ by more than (points)"),
        places=1,
        default=2,
        validators=[Optional(), NumberRange(0, 100)],
    )
    allow_review = BooleanField(_l("Candidates may review their answers after release"), default=True)
    validity_months = IntegerField(
        _l("Certificate valid for (months)"), default=24, validators=[InputRequired(), NumberRange(1, 120)]
    )
    cells = FieldList(FormField(CellForm), min_entries=6, max_entries=20)
    integrity = FormField(IntegrityForm, label=_l("Exam integrity"))
    submit = SubmitField(_l("Save the exam"))

    def validate_closes_at(self, field) -> None:
        if self.opens_at.data and field.data and field.data <= self.opens_at.data:
            raise ValidationError(_l("The window must close after it opens."))

    def validate_part_mins(self, field) -> None:
        try:
            parse_part_mins(field.data or "")
        except ValueError as error:
            raise ValidationError(PART_MIN_FORMAT) from error

    def validate_cells(self, field) -> None:
        if not any(entry.form.count.data for entry in field.entries):
            raise ValidationError(_l("The blueprint needs at least one row with questions."))
        check_points(field)  # a row of one question per assessment point: every point has a question


def parse_part_mins(text: str) -> dict[str, float]:
    """ "理论=60, practical=60" → {"theory": 60.0, "practical": 60.0}; ValueError when malformed."""
    result = {}
    for chunk in text.replace("，", ",").replace("＝", "=").split(","):
        if not chunk.strip():
            continue
        name, _, value = chunk.partition("=")
        number = float(value)
        if not name.strip() or not 0 <= number <= 100:
            raise ValueError(chunk)
        result[part_key(name)] = number
    return result


class AdjustmentForm(FlaskForm):
    employee_no = StringField(_l("Employee number"), validators=[DataRequired(), Length(max=32)])
    extra_minutes = IntegerField(
        _l("Extra minutes"), default=0, validators=[InputRequired(), NumberRange(0, 600)]
    )
    opens_at = DateTimeLocalField(_l("Second window opens"), validators=[Optional()])
    closes_at = DateTimeLocalField(_l("Second window closes"), validators=[Optional()])
    reason = TextAreaField(_l("Reason"), validators=[DataRequired(), Length(max=1000)])
    submit = SubmitField(_l("Record the adjustment"))

    def validate_closes_at(self, field) -> None:
        if bool(self.opens_at.data) != bool(field.data):
            raise ValidationError(_l("Give both ends of the second window, or neither."))
        if field.data and field.data <= self.opens_at.data:
            raise ValidationError(_l("The window must close after it opens."))


class MarkForm(FlaskForm):
    """The view adds one DecimalField per rubric criterion (or a single points field) before validating."""

    comment = TextAreaField(_l("Comment"), validators=[DataRequired(), Length(max=4000)])
    reason = StringField(
        _l("Why the mark changes (required when you change a mark)"), validators=[Length(max=500)]
    )
    submit = SubmitField(_l("Save the mark"))


class ActionForm(FlaskForm):
    submit = SubmitField(_l("Submit"))


class CloseForm(FlaskForm):
    """Close an exam now. The reason is required by the rule when candidates are still writing."""

    reason = TextAreaField(
        _l("Reason for closing by decision"),
        description=_l("Required while candidates are still writing: their papers are collected as saved."),
        validators=[Length(max=1000)],
    )
    submit = SubmitField(_l("Close the exam now"))


class PaperTimeForm(FlaskForm):
    """More time for one candidate's paper: an open one is extended, a closed unmarked one re-opened."""

    employee_no = StringField(_l("Employee number"), validators=[DataRequired(), Length(max=32)])
    minutes = IntegerField(
        _l("Minutes"),
        default=10,
        description=_l(
            "An open paper gets these minutes after its deadline (after now, if that has passed); a closed "
            "paper nobody has marked re-opens with its answers until now plus these minutes."
        ),
        validators=[InputRequired(), NumberRange(1, 600)],
    )
    reason = TextAreaField(_l("Reason"), validators=[DataRequired(), Length(max=1000)])
    submit = SubmitField(_l("Give more time or re-open"))
