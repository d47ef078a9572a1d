from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    HiddenField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, ValidationError

from drill.drills.services import MAX_MINUTES, MAX_QUESTIONS


class StartForm(FlaskForm):
    """Start a practice drill. The view fills the choices from the taxonomy and the imported packs."""

    theme = SelectField(_l("Theme"), validate_choice=True)
    level = SelectField(_l("Level"))
    competency = SelectField(_l("Competency"))
    pack = SelectField(_l("Question bank"))
    count = IntegerField(
        _l("Questions"), default=10, validators=[InputRequired(), NumberRange(1, MAX_QUESTIONS)]
    )
    minutes = IntegerField(
        _l("Minutes"), default=10, validators=[InputRequired(), NumberRange(1, MAX_MINUTES)]
    )
    submit = SubmitField(_l("Start the drill"))


class ActionForm(FlaskForm):
    """A bare POST with its CSRF token: submit an attempt, start a review, start an assignment."""

    submit = SubmitField(_l("Submit"))


class SelfAssessmentForm(FlaskForm):
    points = IntegerField(_l("My own mark (0–100)"), validators=[InputRequired(), NumberRange(0, 100)])
    submit = SubmitField(_l("Save my mark"))


class AssignmentForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=120)])
    pack = SelectField(_l("Question bank"))
    theme = SelectField(_l("Theme"))
    level = SelectField(_l("Level"))
    competency = SelectField(_l("Competency"))
    count = IntegerField(
        _l("Questions"), default=10, validators=[InputRequired(), NumberRange(1, MAX_QUESTIONS)]
    )
    minutes = IntegerField(
        _l("Minutes"), default=15, validators=[InputRequired(), NumberRange(1, MAX_MINUTES)]
    )
    fixed_paper = BooleanField(
        _l("Everyone gets the same questions (a fixed paper)"),
        default=True,
        description=_l(
            "The questions are drawn once, now, and every person answers the same ones, each in their own "
            "order with the options shuffled: everyone's total points are the same, so scores compare. "
            "Unticked, each person draws their own random paper."
        ),
    )
    opens_at = DateTimeLocalField(_l("Opens"), validators=[InputRequired()])
    closes_at = DateTimeLocalField(_l("Closes"), validators=[InputRequired()])
    branches = SelectMultipleField(_l("For branches"), coerce=int)
    people = StringField(_l("For people (employee numbers, comma-separated)"), validators=[Length(max=4000)])
    submit = SubmitField(_l("Assign"))

    def validate_closes_at(self, field) -> None:
        if self.opens_at.data and field.data and field.data <= self.opens_at.data:
            raise ValidationError(_l("The window must close after it opens."))

    def validate_branches(self, field) -> None:
        if not field.data and not (self.people.data or "").strip():
            raise ValidationError(_l("Choose at least one branch or person."))


class RemindForm(FlaskForm):
    """Remind (催办) one person who has not finished an assignment, or, with no person, all of them."""

    user = HiddenField()
    submit = SubmitField(_l("Remind"))

    def validate_user(self, field) -> None:
        if field.data and not field.data.isdigit():
            raise ValidationError(_l("Unknown person."))
