"""The one labelling layer (drill/labels.py): every code in the reader's language, an unknown one visible."""

from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from markupsafe import Markup

from drill import labels


def test_every_code_of_every_listed_vocabulary_has_a_chinese_word(app):
    with app.test_request_context(), force_locale("zh_CN"):
        for kind, vocabulary in labels.VOCABULARIES.items():
            if callable(vocabulary):
                continue
            for code in vocabulary:
                word = labels.label(code, kind)
                assert word and labels.UNKNOWN not in word, (kind, code)
                assert not word.isascii(), f"{kind} {code!r} is {word!r} in Chinese"


def test_words_follow_the_locale(app):
    with app.test_request_context():
        with force_locale("zh_CN"):
            assert labels.label("single", "question_type") == "单选题"
            assert labels.label("lock", "security_action") != "Signing in locked after failed attempts"
        with force_locale("en"):
            assert labels.label("single", "question_type") == "Single choice"
            assert labels.choices("level")[0] == ("junior", "Junior")


def test_an_unknown_code_is_shown_marked_and_an_empty_one_as_nothing(app):
    with app.test_request_context(), force_locale("zh_CN"):
        assert labels.label("weird", "question_type") == f"{labels.UNKNOWN} weird"
        assert labels.label("x", "no_such_vocabulary") == f"{labels.UNKNOWN} x"
        assert labels.label(None, "question_type") == ""
        assert labels.label("Case study", "exam_part") == "Case study"  # a part named by a trainer
        assert labels.label("theory", "exam_part") == "理论"


def test_the_template_filter_escapes_and_translates(app):
    with app.test_request_context(), force_locale("zh_CN"):
        render = app.jinja_env.from_string
        assert render('{{ "truefalse"|label("question_type") }}').render() == "判断题"
        assert render('{{ code|label("exam_part") }}').render(code=Markup("<b>")) != "<b>"
        assert render('{{ code|label("exam_part") }}').render(code="<b>") == "&lt;b&gt;"
        assert isinstance(labels.QUESTION_TYPES["single"], type(_l("x")))
