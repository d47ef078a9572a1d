"""The `drill` console script: Flask's CLI bound to drill's app factory (`drill db upgrade`, ...)."""

from flask.cli import FlaskGroup

from drill import create_app

main = FlaskGroup(create_app=create_app, help="drill — skill drills, exams and competitions (岗位练兵).")
