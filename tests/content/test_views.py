"""Pack assets are served to signed-in users with headers that keep a hostile file inert."""

import re

import pytest
from sqlalchemy import select

from drill.content.models import Question
from drill.content.services import import_paths
from tests.content.conftest import PACKS, TAXONOMY_PATH


@pytest.fixture
def imported(db):
    assert import_paths([PACKS], taxonomy_path=TAXONOMY_PATH).ok
    db.session.commit()
    question = db.session.scalar(select(Question).where(Question.key == "credit-005"))
    return re.findall(r'(?:src|href)="(/content/assets/[^"]+)"', question.latest.stem_html)


def test_an_image_is_served_inline_and_a_data_file_as_a_download(client, make_user, login, imported):
    login(make_user())
    ledger, image = sorted(imported, key=lambda url: url.endswith(".png"))
    response = client.get(image)
    assert response.status_code == 200 and response.mimetype == "image/png"
    assert response.headers["Content-Disposition"].startswith("inline")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response.headers["Content-Security-Policy"]
    response = client.get(ledger)
    assert response.data == (PACKS / "quizzes/golden-quiz/data/ledger.csv").read_bytes()
    assert (
        response.headers["Content-Disposition"]
        == "attachment; filename=\"ledger.csv\"; filename*=UTF-8''ledger.csv"
    )


def test_assets_need_a_signed_in_user(client, imported):
    assert client.get(imported[0]).status_code in (302, 401)


def test_an_unknown_or_malformed_checksum_is_not_found(client, make_user, login, imported):
    login(make_user())
    assert client.get(f"/content/assets/{'0' * 64}/x.png").status_code == 404
    assert client.get("/content/assets/../../etc/passwd").status_code == 404
    assert client.get("/content/assets/abc/x.png").status_code == 404
