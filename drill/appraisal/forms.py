"""Appraisal forms. Choices are filled by the views from the scheme a period keeps."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    DateField,
    FloatField,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError

from drill.appraisal.rules.grid import MAX_COMMENT, Cell
from drill.appraisal.rules.scheme import rating_problems


class ActionForm(FlaskForm):
    """A bare POST with its CSRF token: compute, move a period on, propose level changes."""

    submit = SubmitField(_l("Go"))


class MoveForm(FlaskForm):
    target = HiddenField(validators=[DataRequired()])
    submit = SubmitField(_l("Go"))


class PeriodForm(FlaskForm):
    scheme = SelectField(_l("Scheme"))
    kind = SelectField(_l("Period"))
    year = IntegerField(_l("Year"), validators=[InputRequired(), NumberRange(2000, 2100)])
    number = IntegerField(
        _l("Number within the year (month 1–12, quarter 1–4, half 1–2; 1 for a year)"),
        default=1,
        validators=[InputRequired(), NumberRange(1, 12)],
    )
    submit = SubmitField(_l("Open the period"))


class ImportForm(FlaskForm):
    sheet = FileField(_l("Indicator sheet (CSV or XLSX)"), validators=[FileRequired()])
    submit = SubmitField(_l("Import"))


class HandProposalForm(FlaskForm):
    """An admin's level proposal by hand: whom, to which level, and why (approved like any other)."""

    employee_no = StringField(_l("Employee number"), validators=[DataRequired(), Length(max=32)])
    to_level = SelectField(_l("Proposed level"))
    reason = TextAreaField(_l("Reason"), validators=[DataRequired(), Length(max=1000)])
    submit = SubmitField(_l("Propose"))


class GridForm(FlaskForm):
    """The rating grid's POST: its CSRF token, and a mark and a comment per (manager, item) named
    `m_<user>_<item>` and `c_<user>_<item>`. The cells are read by `cells` and checked together by
    grid.check, which names every problem by manager and item: a WTForms field per cell took seconds to
    build and render for 138 managers × 6 items."""

    submit = SubmitField(_l("Save all ratings"))

    def cells(self, people, items, formdata) -> list[Cell]:
        return [
            Cell(
                user.employee_no,
                item.key,
                formdata.get(f"m_{user.id}_{item.key}", "")[:32],
                formdata.get(f"c_{user.id}_{item.key}", "")[: MAX_COMMENT + 1],
            )
            for user in people
            for item in items
        ]


class GridUploadForm(FlaskForm):
    sheet = FileField(_l("Filled-in rating sheet (XLSX or CSV)"), validators=[FileRequired()])
    submit = SubmitField(_l("Upload the ratings"))


class OccurrenceForm(FlaskForm):
    employee_no = StringField(_l("Employee number"), validators=[DataRequired(), Length(max=32)])
    item = SelectField(_l("Item"))
    count = IntegerField(_l("Times"), default=1, validators=[InputRequired(), NumberRange(1, 50)])
    note = TextAreaField(
        _l("Note (what happened, where it is recorded)"), validators=[DataRequired(), Length(max=2000)]
    )
    submit = SubmitField(_l("Enter"))


class WithdrawForm(FlaskForm):
    reason = StringField(_l("Why"), validators=[DataRequired(), Length(max=500)])
    submit = SubmitField(_l("Withdraw"))


class RewardForm(FlaskForm):
    kind = SelectField(_l("Kind"))
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    awarded_on = DateField(_l("Date"), validators=[InputRequired()])
    note = TextAreaField(_l("Note"), validators=[Optional(), Length(max=2000)])
    submit = SubmitField(_l("Add to the file"))


class DecisionForm(FlaskForm):
    effective_date = DateField(_l("Takes effect on"), validators=[Optional()])
    note = StringField(_l("Note"), validators=[Length(max=500)])
    approve = SubmitField(_l("Approve"))
    reject = SubmitField(_l("Reject"))

    def validate_effective_date(self, field):
        if self.approve.data and field.data is None:
            raise ValidationError(_l("An approval needs the date it takes effect."))

    def validate_note(self, field):
        if self.reject.data and not (field.data or "").strip():
            raise ValidationError(_l("Say why the proposal is rejected."))


class AssignForm(FlaskForm):
    pack_id = HiddenField(validators=[DataRequired()])
    competency = HiddenField(validators=[DataRequired()])
    submit = SubmitField(_l("Assign"))


def rating_form(items, data=None, bands=()) -> FlaskForm:
    """One value and one comment per rating item of the scheme; an item left empty is not entered, and a
    value the scheme wants a comment for (scheme.comment_required) is refused without one."""

    class RatingForm(FlaskForm):
        submit = SubmitField(_l("Save the ratings"))

    for item in items:
        low, high = item.scale
        setattr(
            RatingForm,
            f"value_{item.key}",
            FloatField(item.label, validators=[Optional(), NumberRange(low, high)]),
        )
        setattr(
            RatingForm, f"comment_{item.key}", TextAreaField(_l("Comment"), validators=[Length(max=2000)])
        )

    def validate(self, extra_validators=None):
        ok = FlaskForm.validate(self, extra_validators)
        for item in items:
            value, comment = self[f"value_{item.key}"], self[f"comment_{item.key}"]
            if value.errors or value.data is None:
                continue
            for problem in rating_problems(item, value.data, comment.data, bands):
                comment.errors = [*comment.errors, problem.text()]
                ok = False
        return ok

    RatingForm.validate = validate
    return RatingForm(data=data)
