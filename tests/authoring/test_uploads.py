"""The safe-upload rules, without Flask or a database: every refusal says why, in both languages."""

import ast
import json
import zipfile
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from drill.authoring import convert
from drill.authoring.rules import uploads, zips
from drill.authoring.rules.uploads import Limits, Refused, member_path, read_asset, read_upload, slug
from drill.paths import project_dir
from tests.authoring.conftest import PACK, PNG, make_zip, with_image

LIMITS = Limits()


def refusal(name: str, data: bytes, limits: Limits = LIMITS) -> str:
    with pytest.raises(Refused) as caught:
        read_upload(name, data, limits)
    return str(caught.value.message)


def test_a_markdown_file_is_read_as_utf8_with_its_name_as_the_slug():
    upload = read_upload("Credit Basics.md", "\ufeff".encode() + PACK.encode(), LIMITS)
    assert upload.text == PACK and upload.files == {} and upload.name == "credit-basics"


def test_a_zip_of_a_pack_folder_gives_the_markdown_and_its_files_relative_to_it():
    data = make_zip(
        {
            "quizzes/auth-demo/index.md": with_image().encode(),
            "quizzes/auth-demo/images/chart.png": PNG,
            "__MACOSX/._index.md": b"junk",
            "quizzes/auth-demo/.DS_Store": b"junk",
        }
    )
    upload = read_upload("pack.zip", data, LIMITS)
    assert upload.files == {"images/chart.png": PNG}
    assert (upload.kind, upload.name) == ("quiz", "auth-demo")
    assert "images/chart.png" in upload.text


def test_a_flat_zip_takes_its_name_from_the_zip_when_the_markdown_is_index():
    upload = read_upload(
        "Farm Case.zip", make_zip({"index.md": PACK.encode(), "data/a.csv": b"a,b\n"}), LIMITS
    )
    assert (upload.kind, upload.name, set(upload.files)) == (None, "farm-case", {"data/a.csv"})


@pytest.mark.parametrize(
    ("entries", "reason"),
    [
        ({"index.md": b"x", "../evil.png": PNG}, "points outside the pack"),
        ({"index.md": b"x", "a/../../evil.png": PNG}, "points outside the pack"),
        ({"index.md": b"x", "/etc/evil.png": PNG}, "absolute path"),
        ({"index.md": b"x", "C:/evil.png": PNG}, "absolute path"),
        ({"index.md": b"x", "images\\evil.png": PNG}, "backslashes"),
        ({"index.md": b"x", "run.sh": b"rm -rf /"}, "cannot be part of a pack"),
        ({"index.md": b"x", "page.html": b"<script>"}, "cannot be part of a pack"),
        ({"a.md": b"x", "b.md": b"y"}, "2 Markdown files"),
        ({"images/a.png": PNG}, "no Markdown file"),
        ({"pack/index.md": b"x", "other/a.png": PNG}, "outside the pack folder"),
    ],
)
def test_hostile_or_wrong_zips_are_refused_with_the_reason(entries, reason):
    assert reason in refusal("pack.zip", make_zip(entries))


def test_a_symbolic_link_in_the_zip_is_refused():
    data = make_zip({"index.md": PACK.encode()}, links={"images/passwd.png": "/etc/passwd"})
    assert "symbolic link" in refusal("pack.zip", data)


def test_a_device_or_other_special_file_is_refused():
    data = make_zip({"index.md": PACK.encode(), "data/fifo.csv": b""}, modes={"data/fifo.csv": 0o010644})
    assert "special file" in refusal("pack.zip", data)


def test_an_archive_bomb_is_refused_by_its_ratio_before_it_is_unpacked():
    data = make_zip({"index.md": PACK.encode(), "data/zeros.csv": b"0" * (10 * 1024 * 1024)})
    assert len(data) < 100_000
    assert "archive bomb" in refusal("pack.zip", data)


def test_a_zip_that_unpacks_past_the_limit_is_refused():
    limits = Limits(unpacked_bytes=100_000, ratio=10_000)
    data = make_zip({"index.md": PACK.encode(), "data/zeros.csv": b"0" * 200_000})
    assert "unpacks to" in refusal("pack.zip", data, limits)


def test_a_zip_that_lies_about_its_sizes_is_caught_while_reading(monkeypatch):
    data = make_zip({"index.md": PACK.encode(), "data/big.csv": b"1,2\n" * 50_000})
    original = zipfile.ZipFile.infolist

    def shrunk(self):
        infos = original(self)
        for info in infos:
            if info.filename == "data/big.csv":
                info.file_size = 10  # the header says 10 bytes
        return infos

    monkeypatch.setattr(zipfile.ZipFile, "infolist", shrunk)
    message = refusal("pack.zip", data)
    assert "larger than the zip says" in message or "not a zip drill can read" in message


def test_too_many_files_are_refused():
    entries = {"index.md": PACK.encode(), **{f"data/{n}.csv": b"x" for n in range(5)}}
    assert "6 files; the limit is 3" in refusal("pack.zip", make_zip(entries), Limits(files=3))


def test_an_upload_over_the_size_limit_is_refused():
    assert "the limit is 1.0 MiB" in refusal(
        "big.md", b"x" * (1024 * 1024 + 1), Limits(upload_bytes=1024 * 1024)
    )


def test_other_file_types_and_non_utf8_markdown_are_refused():
    assert "not a pack" in refusal("pack.docx", b"PK")
    assert "not UTF-8" in refusal("pack.md", "题库".encode("gbk"))
    assert "not a zip drill can read" in refusal("pack.zip", b"this is not a zip")


def test_member_paths_are_normalised_and_single_files_checked():
    assert member_path("./images//a.png") == "images/a.png"
    assert read_asset("images", "chart.png", PNG, LIMITS) == "images/chart.png"
    with pytest.raises(Refused):
        read_asset("images", "evil.exe", b"MZ", LIMITS)
    with pytest.raises(Refused):
        read_asset("", "second.md", b"x", LIMITS)
    with pytest.raises(Refused):
        read_asset("data", "a.csv", b"x" * 10, Limits(unpacked_bytes=15), used=10)


def test_slugs_are_safe_names():
    assert slug("../../Credit Basics!") == "credit-basics"
    assert slug("信贷基础") == "pack"


def test_every_refusal_has_a_chinese_translation():
    """The reasons are msgids; the catalogue (or the pending file for the lead to merge) translates them."""
    msgids = {
        node.args[0].value
        for module in (uploads, zips, convert)
        for node in ast.walk(ast.parse(Path(module.__file__).read_text(encoding="utf-8")))
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "N_"
    }
    root = project_dir("translations")
    known = set()
    pending = root / "pending" / "authoring.json"
    if pending.exists():
        known |= {k for k, v in json.loads(pending.read_text(encoding="utf-8")).items() if v}
    with (root / "zh/LC_MESSAGES/messages.po").open("rb") as handle:
        known |= {m.id for m in read_po(handle) if m.id and m.string}
    assert msgids and not msgids - known, sorted(msgids - known)
