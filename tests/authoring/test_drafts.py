"""Uploading, checking, editing and previewing a draft in the browser."""

import io
import re

import pytest
from sqlalchemy import select

from drill.authoring.models import Draft
from drill.content.rules.check import check_paths
from drill.paths import project_dir
from tests.authoring.conftest import BAD_LINE, BROKEN, PACK, PNG, counts, make_zip, with_image

TAXONOMY = project_dir("content") / "taxonomy.yaml"
UPLOAD_LIMIT = 300 * 1024  # configurable; kept under the test client's 500 KiB spooling threshold


@pytest.fixture
def app_config(app_config):
    return {**app_config, "AUTHORING_MAX_UPLOAD": UPLOAD_LIMIT}


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def test_an_uploaded_markdown_file_becomes_a_checked_draft(db, draft_of, as_trainer, trainer):
    draft_id = draft_of(PACK)
    draft = db.session.get(Draft, draft_id)
    assert (draft.owner_id, draft.kind, draft.name, draft.text) == (trainer.id, "quiz", "auth-demo", PACK)
    html = page(as_trainer, f"/authoring/drafts/{draft_id}")
    assert "No problems: drill check passes." in html and "quizzes/auth-demo.md" in html


def test_an_uploaded_zip_keeps_its_files_and_serves_them_to_the_editor(db, draft_of, as_trainer):
    data = make_zip({"auth-demo/index.md": with_image().encode(), "auth-demo/images/chart.png": PNG})
    draft_id = draft_of(data, "auth-demo.zip")
    draft = db.session.get(Draft, draft_id)
    assert set(draft.files) == {"images/chart.png"}
    html = page(as_trainer, f"/authoring/drafts/{draft_id}")
    assert "No problems" in html and "quizzes/auth-demo/index.md" in html
    served = as_trainer.get(
        f"/authoring/drafts/{draft_id}/files/{draft.files['images/chart.png']}/images/chart.png"
    )
    assert served.data == PNG and served.headers["X-Content-Type-Options"] == "nosniff"
    preview = page(as_trainer, f"/authoring/drafts/{draft_id}/preview")
    assert (
        f'src="/authoring/drafts/{draft_id}/files/{draft.files["images/chart.png"]}/images/chart.png"'
        in preview
    )


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("slip.zip", make_zip({"index.md": PACK.encode(), "../../evil.png": PNG}), "points outside the pack"),
        ("abs.zip", make_zip({"index.md": PACK.encode(), "/etc/cron.d/x.csv": b"x"}), "absolute path"),
        (
            "link.zip",
            make_zip({"index.md": PACK.encode()}, links={"images/a.png": "/etc/passwd"}),
            "symbolic link",
        ),
        (
            "bomb.zip",
            make_zip({"index.md": PACK.encode(), "data/z.csv": b"0" * (8 * 1024 * 1024)}),
            "archive bomb",
        ),
        ("type.zip", make_zip({"index.md": PACK.encode(), "x.exe": b"MZ"}), "cannot be part of a pack"),
        ("two.zip", make_zip({"a.md": PACK.encode(), "b.md": PACK.encode()}), "2 Markdown files"),
        ("big.md", b"x" * (UPLOAD_LIMIT + 1), "the limit is 300 KiB"),
        ("pack.docx", b"PK", "not a pack"),
    ],
)
def test_a_refused_upload_says_why_and_stores_nothing(db, upload, name, data, reason):
    before = counts(db)
    response = upload(name, data)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and 'id="refusal"' in html and reason in html
    assert "Nothing was stored." in html
    assert counts(db) == before


def test_check_shows_every_problem_at_its_line_as_drill_check_does(db, draft_of, as_trainer, tmp_path):
    draft_id = draft_of(BROKEN)
    html = page(as_trainer, f"/authoring/drafts/{draft_id}")
    reference = tmp_path / "quizzes" / "auth-demo.md"
    reference.parent.mkdir()
    reference.write_text(BROKEN, encoding="utf-8")
    expected = check_paths([reference], taxonomy_path=TAXONOMY)
    assert expected.errors and all(p.line == BAD_LINE for p in expected.errors)
    for problem in expected.errors:
        assert problem.message.replace("`", "&#96;") in html or problem.message in html.replace("&#96;", "`")
    assert f'href="#L{BAD_LINE}"' in html  # the problem list links to its line
    assert f'<li id="L{BAD_LINE}" value="{BAD_LINE}" class="bad">' in html  # the annotated listing
    assert re.search(rf'<span class="bad" title="[^"]*分直[^"]*">{BAD_LINE}</span>', html)  # the gutter
    assert "1 errors, 0 warnings" in html


def test_the_editor_shows_the_problems_in_the_trainers_language(db, client, login, make_user):
    login(make_user("t002", roles={"trainer"}, locale="zh_CN"))
    response = client.post(
        "/authoring/upload",
        data={"file": (io.BytesIO(BROKEN.encode()), "auth-demo.md")},
        content_type="multipart/form-data",
    )
    html = page(client, response.headers["Location"]).replace("&#96;", "`")
    said = "题目 `auth-002`：属性行中有未知的键 `分直`。是不是要写 `分值`？"
    assert html.count(said) == 3  # the problem list, the gutter's title and the annotated listing
    assert "question `auth-002`" not in html


def test_saving_the_editor_keeps_the_text_and_checks_it_again(db, draft_of, as_trainer):
    draft_id = draft_of(BROKEN)
    response = as_trainer.post(
        f"/authoring/drafts/{draft_id}",
        data={"kind": "quiz", "name": "auth-demo", "text": PACK.replace("\n", "\r\n")},
    )
    assert response.status_code == 302 and response.headers["Location"].endswith("#draft-check")
    assert db.session.get(Draft, draft_id).text == PACK  # line ends as in git, so lines count alike
    assert "No problems" in page(as_trainer, f"/authoring/drafts/{draft_id}")


def test_a_new_pack_starts_from_a_skeleton_that_passes_check(db, as_trainer):
    for kind in ("quiz", "case", "rubric"):
        response = as_trainer.post("/authoring/new", data={"kind": kind, "name": f"my-{kind}"})
        assert response.status_code == 302
        html = page(as_trainer, response.headers["Location"])
        assert "No problems: drill check passes." in html, kind


def test_a_case_may_use_a_shared_rubric_of_the_content_folder(db, draft_of, as_trainer):
    case = (project_dir("content") / "cases" / "farm-loan-review.md").read_text(encoding="utf-8")
    assert "rubric: bank-case-analysis" in case
    draft_id = draft_of(case.replace("id: farm-loan-review", "id: farm-loan-copy"), "farm-loan-copy.md")
    draft = db.session.get(Draft, draft_id)
    assert draft.kind == "case"
    assert "No problems" in page(as_trainer, f"/authoring/drafts/{draft_id}")


def test_files_can_be_added_and_removed_and_bad_ones_are_refused(db, draft_of, as_trainer):
    draft_id = draft_of(with_image())
    assert "broken link" in page(as_trainer, f"/authoring/drafts/{draft_id}")
    add = as_trainer.post(
        f"/authoring/drafts/{draft_id}/files",
        data={"file": (io.BytesIO(PNG), "chart.png"), "folder": "images"},
        content_type="multipart/form-data",
    )
    assert add.status_code == 302
    assert "No problems" in page(as_trainer, f"/authoring/drafts/{draft_id}")
    bad = as_trainer.post(
        f"/authoring/drafts/{draft_id}/files",
        data={"file": (io.BytesIO(b"<script>"), "x.html"), "folder": "data"},
        content_type="multipart/form-data",
        follow_redirects=True,
    )
    assert "cannot be part of a pack" in bad.get_data(as_text=True)
    as_trainer.post(f"/authoring/drafts/{draft_id}/files/remove", data={"path": "images/chart.png"})
    db.session.expire_all()
    assert db.session.get(Draft, draft_id).files == {}
    assert counts(db)["authoring_files"] == 0  # no draft names it any more


def test_preview_hides_answers_from_managers_and_shows_them_to_reviewers(db, draft_of, as_trainer):
    draft_id = draft_of(PACK)
    manager = page(as_trainer, f"/authoring/drafts/{draft_id}/preview")
    reviewer = page(as_trainer, f"/authoring/drafts/{draft_id}/preview?as=reviewer")
    for html in (manager, reviewer):
        assert "贷前调查首先核实什么？" in html and "经营的真实性" in html and "演示题库的简介。" in html
    for secret in ("真实性是贷前调查的核心秘诀", "贷后管理贯穿全过程", "right-answer", "auth-001"):
        assert secret not in manager and secret in reviewer
    assert 'type="radio"' in manager and 'type="radio"' not in reviewer


def test_a_broken_draft_cannot_be_previewed(db, draft_of, as_trainer):
    draft_id = draft_of(BROKEN)
    response = as_trainer.get(f"/authoring/drafts/{draft_id}/preview")
    assert response.status_code == 302 and f"/authoring/drafts/{draft_id}" in response.headers["Location"]


def test_another_trainers_draft_is_not_found(db, draft_of, client, login, make_user):
    draft_id = draft_of(PACK)
    other = make_user("t002", roles={"trainer"})
    client.post("/logout")
    login(other)
    for url in (f"/authoring/drafts/{draft_id}", f"/authoring/drafts/{draft_id}/preview",
                f"/authoring/drafts/{draft_id}/publish"):  # fmt: skip
        assert client.get(url).status_code == 404
    assert client.post(f"/authoring/drafts/{draft_id}/discard").status_code == 404
    assert db.session.scalar(select(Draft).where(Draft.id == draft_id)) is not None


def test_a_case_previews_its_sections_and_shows_reviewers_its_rubric_and_examples(db, as_trainer):
    response = as_trainer.post("/authoring/new", data={"kind": "case", "name": "my-case"})
    draft_id = int(response.headers["Location"].rsplit("/", 1)[1])
    manager = page(as_trainer, f"/authoring/drafts/{draft_id}/preview")
    reviewer = page(as_trainer, f"/authoring/drafts/{draft_id}/preview?as=reviewer")
    assert "section-background" in manager and "section-background" in reviewer
    draft = db.session.get(Draft, draft_id)
    reference = draft.text.split("## 参考答案", 1)[1].split("\n\n", 2)[1].strip()[:12]
    assert reference not in manager and reference in reviewer
    assert "example-1" not in manager and "example-1" in reviewer


def test_autosave_keeps_the_text_without_checking_it(db, draft_of, as_trainer):
    draft_id = draft_of(PACK)
    saved = as_trainer.post(
        f"/authoring/drafts/{draft_id}/autosave", data={"kind": "quiz", "name": "auth-demo", "text": BROKEN}
    )
    assert saved.status_code == 200 and saved.json["saved"] is True
    assert db.session.get(Draft, draft_id).text == BROKEN
    refused = as_trainer.post(
        f"/authoring/drafts/{draft_id}/autosave", data={"kind": "quiz", "name": "../x", "text": PACK}
    )
    assert refused.status_code == 400 and "name" in refused.json["errors"]
    db.session.expire_all()
    assert db.session.get(Draft, draft_id).text == BROKEN
