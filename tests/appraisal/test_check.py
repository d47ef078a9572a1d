"""`drill check` reads content/appraisal/ too: the shipped files check clean, a broken one fails with
file:line, and appraisal files never count as packs."""

from drill.appraisal.files import read_level_rules, read_scheme
from drill.content.rules.check import check_paths
from drill.paths import project_dir
from tests.appraisal.helpers import MINI, line_of
from tests.content.conftest import TAXONOMY_PATH

CONTENT = project_dir("content")


def test_the_shipped_content_with_its_appraisal_files_checks_clean_even_strictly():
    report = check_paths([CONTENT], strict=True, taxonomy_path=TAXONOMY_PATH)
    assert report.ok and not report.warnings, "\n".join(map(str, report.errors))
    kinds = sorted((a.file.rsplit("/", 1)[-1], a.kind) for a in report.appraisal)
    assert kinds == [
        ("bank-scheme.yaml", "appraisal-scheme"),
        ("level-rules.yaml", "level-rules"),
        ("tobacco-scheme.yaml", "appraisal-scheme"),
    ]
    assert all(a.scheme or a.rules for a in report.appraisal)
    assert {p.pack.kind for p in report.packs} == {"quiz", "case", "rubric"}


def test_a_broken_scheme_fails_the_check_with_its_file_and_line(runner, tmp_path):
    text = MINI.replace("weight: 70", "weight: 75")
    path = tmp_path / "appraisal" / "mini.yaml"
    path.parent.mkdir()
    path.write_text(text, encoding="utf-8")
    for target in (tmp_path, path):  # the folder, or the file named on its own
        result = runner.invoke(args=["check", "--lang", "en", str(target)])
        assert result.exit_code == 1, result.output
        assert (
            f"mini.yaml:{line_of(text, 'dimensions:')}: the dimensions' weights add up to 75 + 30 = 105"
            in result.output
        )


def test_level_rules_grades_must_be_the_schemes_bands(tmp_path):
    folder = tmp_path / "appraisal"
    folder.mkdir()
    (folder / "mini.yaml").write_text(MINI, encoding="utf-8")
    rules = (CONTENT / "appraisal" / "level-rules.yaml").read_text(encoding="utf-8")
    rules = rules.replace("grades: [excellent, good, pass, fail]", "grades: [excellent, good, fail]")
    (folder / "rules.yml").write_text(rules, encoding="utf-8")
    report = check_paths([tmp_path])
    [error] = report.errors
    assert (error.file.rsplit("/", 1)[-1], error.line) == ("rules.yml", line_of(rules, "grades: ["))
    assert error.message.startswith("`grades: [excellent, good, fail]` must be the bands of ")
    assert error.message.endswith("mini.yaml from the highest down: [excellent, good, pass, fail]")


def test_a_file_that_is_not_utf8_or_not_a_mapping(tmp_path):
    folder = tmp_path / "appraisal"
    folder.mkdir()
    (folder / "gbk.yaml").write_bytes("title: 方案\n".encode("gbk"))
    (folder / "list.yaml").write_text("- a\n- b\n", encoding="utf-8")
    messages = sorted((e.file.rsplit("/", 1)[-1], e.line, e.message) for e in check_paths([tmp_path]).errors)
    assert messages == [
        ("gbk.yaml", 1, "this line is not valid UTF-8; save the file as UTF-8 (not GBK/GB2312)"),
        ("list.yaml", 1, "the appraisal file must be `key: value` lines, not a single value or a list"),
    ]


def test_services_read_a_stored_scheme_or_rules_text_and_refuse_the_wrong_kind():
    scheme, problems = read_scheme(MINI)
    assert scheme.id == "mini" and problems == []
    rules, problems = read_level_rules(MINI)
    assert rules is None and [p.message for p in problems] == ["`kind: appraisal-scheme` is not level rules"]
