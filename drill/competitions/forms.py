"""Forms of the competitions area. Rubric forms (calibration, reviews, judges' sheets) get one field per
criterion, added by `criteria_form` before validating."""

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
from drill.blueprint_form import CellForm
from drill.integrity.forms import IntegrityForm


class CompetitionForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    team_rule = SelectField(_l("Team score"))
    team_n = IntegerField(_l("N (for the best N members)"), validators=[Optional(), NumberRange(1, 1000)])
    reviews_per_entry = IntegerField(
        _l("Peer reviews per entry"), default=3, validators=[InputRequired(), NumberRange(1, 10)]
    )
    separate_branches = BooleanField(_l("Nobody reviews an entry from their own branch"))
    freeze_at = DateTimeLocalField(_l("Freeze the public board at"), validators=[Optional()])
    submit = SubmitField(_l("Save the competition"))

    def validate_team_n(self, field) -> None:
        if self.team_rule.data == "top" and not field.data:
            raise ValidationError(_l("Give N: how many of each team's best count."))


class ParticipantsForm(FlaskForm):
    branches = SelectMultipleField(_l("Branches"), coerce=int)
    categories = MultiCheckboxField(_l("Categories"))
    levels = MultiCheckboxField(_l("Levels"))
    employee_nos = TextAreaField(
        _l("Or a list of employee numbers"),
        description=_l("One a line, or separated by commas. When given, only these are added."),
        validators=[Length(max=100_000)],
    )
    submit = SubmitField(_l("Add participants"))

    def numbers(self) -> list[str]:
        text = (self.employee_nos.data or "").replace("，", ",").replace("\n", ",")
        return [n.strip() for n in text.split(",") if n.strip()]

    def validate(self, extra_validators=None) -> bool:
        if not super().validate(extra_validators):
            return False
        if not (self.numbers() or self.branches.data or self.categories.data or self.levels.data):
            # An empty form would add every manager in reach: say so instead of doing it.
            self.employee_nos.errors.append(
                _l("Choose who takes part: branches, categories, levels or a list of employee numbers.")
            )
            return False
        return True


class RoundForm(FlaskForm):
    kind = SelectField(_l("Kind"))
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    weight = DecimalField(
        _l("Weight in the final score"),
        default=1,
        places=2,
        validators=[InputRequired(), NumberRange(0.01, 1000)],
    )
    opens_at = DateTimeLocalField(_l("Opens"), validators=[Optional()])
    closes_at = DateTimeLocalField(_l("Closes"), validators=[Optional()])
    time_limit_minutes = IntegerField(
        _l("Time limit (minutes)"), default=30, validators=[InputRequired(), NumberRange(1, 600)]
    )
    cells = FieldList(FormField(CellForm), min_entries=4, max_entries=20)
    speed_bonus = BooleanField(_l("Speed bonus"))
    speed_floor = DecimalField(
        _l("Share of the marks a right but slow answer keeps"), default=0.8, places=2,
        validators=[Optional(), NumberRange(0, 1)],
    )  # fmt: skip
    case_pack = SelectField(_l("Case"), coerce=int)
    rubric_pack = SelectField(_l("Shared rubric (judged rounds without a case)"), coerce=int)
    peer_weight = DecimalField(
        _l("Peer weight"), default=1, places=2, validators=[Optional(), NumberRange(0, 100)]
    )
    judge_weight = DecimalField(
        _l("Judge weight"), default=0, places=2, validators=[Optional(), NumberRange(0, 100)]
    )
    review_closes_at = DateTimeLocalField(_l("Reviews due"), validators=[Optional()])
    judge_budget = DecimalField(
        _l("Judge budget: share of the entries a judge checks (%)"), default=10, places=1,
        validators=[Optional(), NumberRange(0, 100)],
    )  # fmt: skip
    judges = SelectMultipleField(_l("Judges"), coerce=int)
    qualify_from = SelectField(_l("Only the qualifiers of round"), coerce=int)
    qualify_top_n = IntegerField(_l("Top N advance"), validators=[Optional(), NumberRange(1, 10_000)])
    qualify_per_branch = BooleanField(_l("Top N of each branch (otherwise overall)"))
    integrity = FormField(IntegrityForm, label=_l("Exam integrity"))  # written and case rounds
    reason = TextAreaField(
        _l("Why the weight changes (kept in the audit log)"), validators=[Optional(), Length(max=1000)]
    )  # editing a closed round only
    submit = SubmitField(_l("Save the round"))

    fixed: frozenset[str] = frozenset()  # the fields the round's state fixes (the edit page sets them)

    def validate_closes_at(self, field) -> None:
        if {"opens_at", "closes_at"} <= self.fixed:
            return  # both stored as they are: not the organiser's to put right now
        if self.opens_at.data and field.data and field.data <= self.opens_at.data:
            raise ValidationError(_l("The window must close after it opens."))

    def validate_review_closes_at(self, field) -> None:
        if self.kind.data != "case" or {"closes_at", "review_closes_at"} <= self.fixed:
            return
        if self.closes_at.data and field.data and field.data < self.closes_at.data:
            raise ValidationError(_l("Reviews cannot be due before the round closes."))

    def validate_case_pack(self, field) -> None:
        if self.kind.data == "case" and not field.data:
            raise ValidationError(_l("Choose the case the participants answer."))

    def validate_rubric_pack(self, field) -> None:
        if self.kind.data == "judged" and not field.data and not self.case_pack.data:
            raise ValidationError(_l("Choose a case or a shared rubric to judge by."))

    def validate_cells(self, field) -> None:
        if self.kind.data == "written" and not any(e.form.count.data for e in field.entries):
            raise ValidationError(_l("The blueprint needs at least one row with questions."))

    def validate_judge_weight(self, field) -> None:
        if self.kind.data == "case" and not (self.peer_weight.data or field.data):
            raise ValidationError(_l("Give peers or judges a weight above 0."))

    def validate_judges(self, field) -> None:
        if self.kind.data == "case" and self.judge_weight.data and not field.data:
            raise ValidationError(_l("Choose the judges: their scores carry weight in this round."))

    def validate_qualify_top_n(self, field) -> None:
        if self.qualify_from.data and not field.data:
            raise ValidationError(_l("Give N: how many advance."))


class ReasonForm(FlaskForm):
    reason = TextAreaField(_l("Reason"), validators=[DataRequired(), Length(max=1000)])
    submit = SubmitField(_l("Disqualify"))


class CorrectionForm(FlaskForm):
    round = SelectField(_l("Round"), coerce=int)
    score = DecimalField(
        _l("Corrected round score (0–100; empty withdraws it)"),
        places=2,
        validators=[Optional(), NumberRange(0, 100)],
    )
    reason = TextAreaField(_l("Reason"), validators=[DataRequired(), Length(max=1000)])
    submit = SubmitField(_l("Record the correction"))


class ActionForm(FlaskForm):
    submit = SubmitField(_l("Submit"))


class CommentForm(FlaskForm):
    comment = TextAreaField(_l("Comment"), validators=[Optional(), Length(max=4000)])
    submit = SubmitField(_l("Save the scores"))


def criteria_form(criteria: list[dict], prefixes: list[str] = ("",), base=CommentForm, data=None):
    """A form with one field per criterion (and per prefix, e.g. per example answer): `{prefix}c_{id}`."""

    class Form(base):
        pass

    for prefix in prefixes:
        for c in criteria:
            weight = float(c["weight"])
            setattr(
                Form,
                f"{prefix}c_{c['id']}",
                DecimalField(
                    f"{c['name']} (0–{weight:g})",
                    places=1,
                    validators=[InputRequired(), NumberRange(0, weight)],
                ),
            )
    return Form(data=data)


def scores_from(form, criteria: list[dict], prefix: str = "") -> dict[str, float]:
    return {c["id"]: float(getattr(form, f"{prefix}c_{c['id']}").data) for c in criteria}
