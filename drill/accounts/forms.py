from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from sqlalchemy import select
from wtforms import (
    BooleanField,
    PasswordField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    ValidationError,
)
from wtforms.validators import DataRequired, EqualTo, Length, Optional, Regexp
from wtforms.widgets import CheckboxInput, ListWidget

from drill.accounts.models import Branch, User
from drill.accounts.roles import BRANCH_KINDS, CATEGORIES, LEVELS, ROLES
from drill.accounts.rules import names
from drill.extensions import db
from drill.forms import options


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


LANGUAGES = options([("zh_CN", "中文"), ("en", "English")])


def _choices(vocabulary: dict, blank: bool = False):
    pairs = list(vocabulary.items())
    return options([("", _l("— none —")), *pairs] if blank else pairs)


class UserForm(FlaskForm):
    """Create or edit a user. The view fills `branch_id.choices` with the branches in the admin's scope."""

    employee_no = StringField(
        _l("Employee number"),
        validators=[
            DataRequired(),
            Length(max=32),
            Regexp(r"^[A-Za-z0-9]+$", message=_l("Letters and digits only.")),
        ],
    )
    name = StringField(
        _l("Name"),
        filters=[lambda value: names.normalise(value) if value else value],
        validators=[DataRequired(), Length(max=80)],
    )
    branch_id = SelectField(_l("Branch"), coerce=int)
    roles = MultiCheckboxField(_l("Roles"), choices=_choices(ROLES), validators=[DataRequired()])
    category = SelectField(_l("Manager category"), choices=_choices(CATEGORIES, blank=True))
    level = SelectField(_l("Level"), choices=_choices(LEVELS, blank=True))
    scope_branch_id = SelectField(_l("Works within (trainers and admins)"), coerce=int)
    locale = SelectField(_l("Language"), choices=LANGUAGES)
    password = PasswordField(
        _l("Initial password"),
        validators=[Optional(), Length(min=8, max=128)],
        description=_l("At least 8 characters. Leave empty to keep the current password."),
    )
    submit = SubmitField(_l("Save"))

    def __init__(self, *args, editing: User | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.editing = editing

    def validate_employee_no(self, field) -> None:
        existing = db.session.scalar(select(User).where(User.employee_no == field.data.strip()))
        if existing is not None and existing is not self.editing:
            raise ValidationError(_l("This employee number already has an account."))

    def validate_name(self, field) -> None:
        found = names.problem(field.data or "")
        if found is not None:
            raise ValidationError(found.text())

    def validate_level(self, field) -> None:
        if "manager" in (self.roles.data or []) and not (field.data and self.category.data):
            raise ValidationError(_l("A customer manager needs a category and a level."))

    def validate_password(self, field) -> None:
        if self.editing is None and not field.data:
            raise ValidationError(_l("A new user needs an initial password."))


class BranchForm(FlaskForm):
    code = StringField(
        _l("Code"),
        validators=[
            DataRequired(),
            Length(max=32),
            Regexp(r"^[A-Za-z0-9_-]+$", message=_l("Letters, digits, - and _ only.")),
        ],
    )
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=120)])
    kind = SelectField(_l("Kind"), choices=_choices(BRANCH_KINDS))
    parent_id = SelectField(_l("Parent"), coerce=int)
    submit = SubmitField(_l("Add branch"))

    def validate_code(self, field) -> None:
        if db.session.scalar(select(Branch).where(Branch.code == field.data.strip())) is not None:
            raise ValidationError(_l("A branch with this code exists."))


class ImportUsersForm(FlaskForm):
    sheet = FileField(
        _l("Sheet (CSV or XLSX)"),
        validators=[FileRequired(), FileAllowed(["csv", "xlsx"], _l("Only .csv and .xlsx files."))],
    )
    submit = SubmitField(_l("Import"))


class ActiveForm(FlaskForm):
    active = BooleanField()
    submit = SubmitField()


class ButtonForm(FlaskForm):
    """A button that posts nothing but its CSRF token (unlock sign-in, end all sessions)."""

    submit = SubmitField()


class SettingsForm(FlaskForm):
    locale = SelectField(_l("Language"), choices=LANGUAGES)
    submit = SubmitField(_l("Save"))


class PasswordForm(FlaskForm):
    current = PasswordField(_l("Current password"), validators=[DataRequired()])
    new = PasswordField(_l("New password"), validators=[DataRequired(), Length(min=8, max=128)])
    repeat = PasswordField(
        _l("Repeat the new password"), validators=[EqualTo("new", message=_l("The passwords differ."))]
    )
    submit = SubmitField(_l("Change password"))


class LanguageForm(FlaskForm):
    locale = SelectField(choices=LANGUAGES)
