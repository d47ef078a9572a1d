from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import HiddenField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Regexp, ValidationError

from drill.content.rules.reader import MAX_FILE_BYTES
from drill.forms import options

KINDS = options([("quiz", _l("Question bank")), ("case", _l("Case")), ("rubric", _l("Rubric"))])
NAME = [
    DataRequired(),
    Length(max=48),
    Regexp(
        r"^[a-z0-9][a-z0-9-]*$", message=_l("Lowercase letters, digits and “-” only, e.g. credit-basics.")
    ),
]


class UploadForm(FlaskForm):
    file = FileField(_l("Pack file (.md or .zip)"), validators=[FileRequired()])
    submit = SubmitField(_l("Upload and check"))


class NewPackForm(FlaskForm):
    kind = SelectField(_l("Kind"), choices=KINDS)
    name = StringField(_l("Name (also the pack id)"), validators=NAME)
    submit = SubmitField(_l("Start from a skeleton"))


class EditorForm(FlaskForm):
    """The draft's Markdown, its kind (the folder it is checked in) and its file name."""

    kind = SelectField(_l("Kind"), choices=KINDS)
    name = StringField(_l("File name"), validators=NAME)
    text = TextAreaField(_l("Markdown"), validators=[InputRequired()])
    submit = SubmitField(_l("Save and check"))

    def validate_text(self, field) -> None:
        if len(field.data.encode("utf-8")) > MAX_FILE_BYTES:
            raise ValidationError(
                _l("A pack's Markdown may be at most 1 MiB; put large data in a linked file.")
            )


class FileForm(FlaskForm):
    file = FileField(_l("Image or data file"), validators=[FileRequired()])
    folder = SelectField(
        _l("Folder"), choices=options([("images", "images/"), ("data", "data/"), ("", "./")])
    )
    submit = SubmitField(_l("Add the file"))


class RemoveFileForm(FlaskForm):
    path = HiddenField(validators=[DataRequired()])
    submit = SubmitField(_l("Remove"))


class PublishForm(FlaskForm):
    token = HiddenField(validators=[DataRequired()])
    submit = SubmitField(_l("Publish"))


class ActionForm(FlaskForm):
    """A bare POST with its CSRF token: edit a pack, discard a draft."""

    submit = SubmitField(_l("Go"))
