"""A problem keeps its message as a template and parameters, so each reader gets it in their language."""

import json

from flask_babel import force_locale

from drill.content.rules.problems import WARNING, Problem, Problems, did_you_mean
from drill.messages import N_, Message


def test_the_english_message_is_the_template_filled_in_nested_hints_included():
    problems = Problems("pack.md", line_count=20)
    hint = did_you_mean("分直", ["分值", "难度"])
    problems.error(9, Message(N_("unknown key `%(key)s`.%(hint)s"), key="分直", hint=hint))
    problems.warning(30, Message(N_("write `误差: 1%%` for %(n)d percent"), n=1))
    error, warning = problems.items
    assert error.message == "unknown key `分直`. Did you mean `分值`?"
    assert str(error) == "pack.md:9: unknown key `分直`. Did you mean `分值`?"
    assert str(warning) == "pack.md:20: warning: write `误差: 1%` for 1 percent"  # clamped into the file
    assert str(Message(N_("100% sure"))) == "100% sure"  # no parameters: no formatting, as in gettext


def test_as_dict_carries_the_template_and_json_params():
    what = Message(N_("`%(key)s`: %(reason)s"), key="theme", reason=Message(N_("at least %(n)g"), n=0.5))
    data = Problem("pack.md", 4, what).as_dict()
    assert data == {
        "file": "pack.md",
        "line": 4,
        "message": "`theme`: at least 0.5",
        "template": "`%(key)s`: %(reason)s",
        "params": {"key": "theme", "reason": {"template": "at least %(n)g", "params": {"n": 0.5}}},
    }
    assert json.loads(json.dumps(data)) == data


def test_problems_compare_by_their_place_and_english_text():
    one = Problem("a.md", 3, Message(N_("the section `%(title)s` is empty"), title="背景"))
    same = Problem("a.md", 3, Message(N_("the section `%(title)s` is empty"), title="背景"))
    assert one == same and len({one, same}) == 1
    assert one != Problem("a.md", 3, one.what, WARNING)


def test_text_is_in_the_current_locale_nested_messages_too(app):
    inner = Message(N_("an option has no text; write it after `- [ ]`"))
    problem = Problem(
        "a.md", 8, Message(N_("question `%(qid)s`: %(message)s"), qid="q-1", message=inner), WARNING
    )
    with app.app_context(), force_locale("en"):
        assert (
            problem.text()
            == str(problem)
            == ("a.md:8: warning: question `q-1`: an option has no text; write it after `- [ ]`")
        )
    with app.app_context(), force_locale("zh_CN"):
        assert problem.text() == "a.md:8: 警告: 题目 `q-1`：有一个选项没有内容；请写在 `- [ ]` 后面"
