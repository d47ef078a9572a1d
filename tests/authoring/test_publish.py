"""Publishing: the diff first (the import itself, rolled back), then one all-or-nothing import."""

import re

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from drill.authoring import publish as publishing
from drill.authoring import services
from drill.authoring.models import Draft, PackSource
from drill.content.models import Pack, Question
from drill.content.services import import_paths
from drill.database import utcnow
from drill.paths import project_dir
from tests.authoring.conftest import BROKEN, PACK, PNG, counts, make_zip, with_image

TOKEN = re.compile(r'name="token" type="hidden" value="([0-9a-f]+)"')


def diff_page(client, draft_id: int) -> tuple[str, str]:
    response = client.get(f"/authoring/drafts/{draft_id}/publish")
    assert response.status_code == 200, response.headers.get("Location")
    html = response.get_data(as_text=True)
    return html, TOKEN.search(html).group(1)


def section(html: str, name: str) -> str:
    start = html.index(f"diff-{name}")
    return html[start : html.index("</ul>", start)]


def test_publishing_shows_the_diff_first_then_imports_the_pack(db, draft_of, as_trainer, trainer):
    data = make_zip({"auth-demo/index.md": with_image().encode(), "auth-demo/images/chart.png": PNG})
    draft_id = draft_of(data, "auth-demo.zip")
    before = counts(db)
    html, token = diff_page(as_trainer, draft_id)
    assert 'data-status="added"' in html
    assert all(key in section(html, "added") for key in ("auth-001", "auth-002", "auth-003"))
    assert counts(db) == before  # the diff is the import, rolled back: nothing was written

    response = as_trainer.post(f"/authoring/drafts/{draft_id}/publish", data={"token": token})
    assert response.status_code == 302 and response.headers["Location"].endswith("/authoring/")
    db.session.expire_all()
    pack = db.session.scalar(select(Pack).where(Pack.slug == "auth-demo"))
    assert (pack.kind, pack.current_version, len(pack.questions)) == ("quiz", 1, 3)
    source = db.session.scalar(select(PackSource))
    assert source.text == with_image() and source.published_by_id == trainer.id
    assert source.name == "quizzes/auth-demo/index.md" and set(source.files) == {"images/chart.png"}
    assert db.session.get(Draft, draft_id) is None and counts(db)["authoring_files"] == 0
    library = as_trainer.get("/authoring/").get_data(as_text=True)
    row = library[library.index('id="pack-auth-demo"') :]
    assert "Trainer Zhou" in row[: row.index("</tr>")]
    assert "Published auth-demo, version 1." in library


def test_a_published_pack_is_edited_again_and_a_changed_question_gets_a_new_version(db, draft_of, as_trainer):
    first = draft_of(PACK)
    as_trainer.post(f"/authoring/drafts/{first}/publish", data={"token": diff_page(as_trainer, first)[1]})
    pack = db.session.scalar(select(Pack).where(Pack.slug == "auth-demo"))

    response = as_trainer.post(f"/authoring/packs/{pack.id}/edit")
    draft_id = int(response.headers["Location"].rsplit("/", 1)[1])
    draft = db.session.get(Draft, draft_id)
    assert draft.text == PACK and draft.pack_id == pack.id and draft.base_version == 1
    again = as_trainer.post(f"/authoring/packs/{pack.id}/edit")  # the same draft, not a second one
    assert again.headers["Location"].endswith(f"/drafts/{draft_id}")
    edited = PACK.replace("- [ ] 亲属收入", "- [ ] 配偶收入")
    edited = edited[: edited.index("## auth-003")]
    as_trainer.post(
        f"/authoring/drafts/{draft_id}", data={"kind": "quiz", "name": "auth-demo", "text": edited}
    )

    html, token = diff_page(as_trainer, draft_id)
    assert 'data-status="changed"' in html and "Version 1 → 2" in html
    assert "auth-001" in section(html, "changed") and "auth-003" in section(html, "retired")
    assert "auth-002" not in section(html, "changed")
    assert "+- [ ] 配偶收入" in html and "-- [ ] 亲属收入" in html  # the Markdown diff

    as_trainer.post(f"/authoring/drafts/{draft_id}/publish", data={"token": token})
    db.session.expire_all()
    assert pack.current_version == 2
    questions = {q.key: q for q in db.session.scalars(select(Question))}
    assert [v.number for v in questions["auth-001"].versions] == [1, 2]
    assert [v.number for v in questions["auth-002"].versions] == [1]
    assert questions["auth-003"].retired_at is not None
    assert len(db.session.scalars(select(PackSource)).all()) == 2


def test_publishing_a_broken_draft_imports_nothing(db, draft_of, as_trainer):
    draft_id = draft_of(BROKEN)
    before = counts(db)
    assert as_trainer.get(f"/authoring/drafts/{draft_id}/publish").status_code == 302
    response = as_trainer.post(f"/authoring/drafts/{draft_id}/publish", data={"token": "0" * 64})
    assert response.status_code == 302 and response.headers["Location"].endswith(
        f"/drafts/{draft_id}#draft-check"
    )
    assert counts(db) == before


def test_a_draft_changed_after_the_diff_was_shown_is_not_published(db, draft_of, as_trainer):
    draft_id = draft_of(PACK)
    _html, token = diff_page(as_trainer, draft_id)
    changed = PACK.replace("演示题库的简介。", "新的简介。")
    as_trainer.post(
        f"/authoring/drafts/{draft_id}", data={"kind": "quiz", "name": "auth-demo", "text": changed}
    )
    before = counts(db)
    response = as_trainer.post(f"/authoring/drafts/{draft_id}/publish", data={"token": token})
    assert response.headers["Location"].endswith(f"/drafts/{draft_id}/publish")
    assert counts(db) == before


def test_a_failure_while_publishing_leaves_the_database_as_it_was(db, draft_of, as_trainer, monkeypatch):
    draft_id = draft_of(PACK)
    _html, token = diff_page(as_trainer, draft_id)
    before = counts(db)

    def fail(draft):
        raise IntegrityError("DELETE", {}, Exception("a concurrent publish"))

    monkeypatch.setattr(services, "discard", fail)
    response = as_trainer.post(
        f"/authoring/drafts/{draft_id}/publish", data={"token": token}, follow_redirects=True
    )
    assert "at the same moment" in response.get_data(as_text=True)
    assert counts(db) == before


def test_an_unchanged_pack_is_not_published_again(db, draft_of, as_trainer):
    first = draft_of(PACK)
    as_trainer.post(f"/authoring/drafts/{first}/publish", data={"token": diff_page(as_trainer, first)[1]})
    second = draft_of(PACK)
    html, token = diff_page(as_trainer, second)
    assert 'data-status="unchanged"' in html and 'id="publish-button" disabled' in html
    before = counts(db)
    as_trainer.post(f"/authoring/drafts/{second}/publish", data={"token": token})
    after = counts(db)
    assert (
        after["pack_versions"] == before["pack_versions"] and after["pack_sources"] == before["pack_sources"]
    )


def test_a_question_id_of_another_published_pack_is_an_error_at_its_line(db, draft_of, as_trainer):
    first = draft_of(PACK)
    as_trainer.post(f"/authoring/drafts/{first}/publish", data={"token": diff_page(as_trainer, first)[1]})
    other = draft_of(PACK.replace("id: auth-demo", "id: auth-other"), "auth-other.md")
    html = as_trainer.get(f"/authoring/drafts/{other}").get_data(as_text=True)
    assert (
        "question id &#96;auth-001&#96; is already used by the published pack &#96;auth-demo&#96;"
        in html.replace("`", "&#96;")
    )
    line = PACK.splitlines().index("## auth-001") + 1
    assert f'href="#L{line}"' in html


def test_a_pack_from_git_is_edited_from_its_file_and_warned_about(db, as_trainer):
    path = project_dir("content") / "quizzes" / "service-qa.md"
    assert import_paths([path], taxonomy_path=project_dir("content") / "taxonomy.yaml").ok
    db.session.commit()
    pack = db.session.scalar(select(Pack).where(Pack.slug == "service-qa-practice"))
    draft_id = int(as_trainer.post(f"/authoring/packs/{pack.id}/edit").headers["Location"].rsplit("/", 1)[1])
    assert db.session.get(Draft, draft_id).text == path.read_text(encoding="utf-8")
    html, _token = diff_page(as_trainer, draft_id)
    assert 'data-status="unchanged"' in html and "came from git" in html


def test_a_manager_can_drill_a_pack_as_soon_as_it_is_published(
    db, draft_of, as_trainer, client, login, make_user
):
    draft_id = draft_of(PACK)
    as_trainer.post(
        f"/authoring/drafts/{draft_id}/publish", data={"token": diff_page(as_trainer, draft_id)[1]}
    )
    client.post("/logout")
    login(make_user("m001"))
    data = {"theme": "", "level": "", "competency": "", "pack": "auth-demo", "count": 3, "minutes": 5}
    response = client.post("/drills/", data=data)
    assert response.status_code == 302 and "/drills/attempts/" in response.headers["Location"]


@pytest.mark.parametrize("kind", ["case", "rubric"])
def test_cases_and_rubrics_publish_too(db, as_trainer, kind):
    response = as_trainer.post("/authoring/new", data={"kind": kind, "name": f"new-{kind}"})
    draft_id = int(response.headers["Location"].rsplit("/", 1)[1])
    _html, token = diff_page(as_trainer, draft_id)
    as_trainer.post(f"/authoring/drafts/{draft_id}/publish", data={"token": token})
    pack = db.session.scalar(select(Pack).where(Pack.slug == f"new-{kind}"))
    assert pack is not None and pack.kind == kind


def test_the_plan_is_what_the_import_does(db, trainer, app):
    draft = services.create_draft(trainer, PACK, kind="quiz", name="auth-demo")
    content = project_dir("content")
    plan = publishing.plan(draft, content, utcnow())
    assert plan.changes.status == "added" and plan.changes.added == ["auth-001", "auth-002", "auth-003"]
    assert db.session.scalar(select(Pack)) is None
