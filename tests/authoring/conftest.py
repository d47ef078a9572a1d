"""Authoring test helpers: a small pack (good and broken), zips built in memory, a signed-in trainer."""

import io
import stat
import zipfile

import pytest
from sqlalchemy import func, select

from drill.authoring.models import Draft, DraftFile, PackSource
from drill.content.models import Pack, PackAsset, PackVersion, Question, QuestionVersion

PACK = """\
---
id: auth-demo
title: 授权演示题库
theme: 案例分析
level: 初级
audience: 通用
---

演示题库的简介。

## auth-001
类型: 单选 | 分值: 2

贷前调查首先核实什么？

- [ ] 兴趣爱好
- [x] 经营的真实性
- [ ] 亲属收入

解析: 真实性是贷前调查的核心秘诀。

## auth-002
类型: 判断 | 分值: 1

贷款发放后无需跟踪。

答案: 错

解析: 贷后管理贯穿全过程。

## auth-003
类型: 数值 | 分值: 2 | 单位: 万元

120 加 135 等于多少万元？

答案: 255

解析: 120 + 135 = 255。
"""
BROKEN = PACK.replace("类型: 判断 | 分值: 1", "类型: 判断 | 分直: 1")
BAD_LINE = BROKEN.splitlines().index("类型: 判断 | 分直: 1") + 1  # the meta line of auth-002
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360000002"
    "000154a24f5d0000000049454e44ae426082"
)


def with_image(text: str = PACK) -> str:
    return text.replace("120 加 135 等于多少万元？", "120 加 135 等于多少万元？\n\n![图](images/chart.png)")


def make_zip(
    entries: dict[str, bytes], *, links: dict[str, str] | None = None, modes: dict | None = None
) -> bytes:
    """A zip in memory: name → bytes; `links` adds symbolic links (name → target), `modes` sets a mode."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            info = zipfile.ZipInfo(name)
            info.compress_type = zipfile.ZIP_DEFLATED
            if modes and name in modes:
                info.external_attr = modes[name] << 16
            archive.writestr(info, data)
        for name, target in (links or {}).items():
            info = zipfile.ZipInfo(name)
            info.external_attr = (stat.S_IFLNK | 0o777) << 16
            archive.writestr(info, target)
    return buffer.getvalue()


def counts(db) -> dict[str, int]:
    models = (Pack, PackVersion, Question, QuestionVersion, PackAsset, PackSource, Draft, DraftFile)
    return {m.__tablename__: db.session.scalar(select(func.count()).select_from(m)) for m in models}


@pytest.fixture
def trainer(make_user):
    return make_user("t001", roles={"trainer"}, locale="en", name="Trainer Zhou")


@pytest.fixture
def as_trainer(client, login, trainer):
    login(trainer)
    return client


@pytest.fixture
def upload(as_trainer):
    """upload(name, data) → the response of the upload form (not followed)."""

    def send(name: str, data: bytes, target=as_trainer):
        return target.post(
            "/authoring/upload", data={"file": (io.BytesIO(data), name)}, content_type="multipart/form-data"
        )

    return send


@pytest.fixture
def draft_of(db, upload):
    """draft_of(text or zip bytes, name) → the id of the draft an upload made."""

    def make(content, name: str = "auth-demo.md") -> int:
        data = content.encode() if isinstance(content, str) else content
        response = upload(name, data)
        assert response.status_code == 302, response.get_data(as_text=True)[-800:]
        return int(response.headers["Location"].rstrip("/").rsplit("/", 1)[1])

    return make
