"""`python -m bench.data_scale` at a tiny size on the test database, so that the benchmark cannot rot: the
generated packs import, the province builds valid data, the year rolls up, every page answers and the
release releases. (Here the suite's rule applies too: a page that lazy-loads a relationship fails.)"""

from bench import data_scale
from bench.pack_gen import write_packs


def test_the_generated_packs_import_and_import_again(db, tmp_path):
    write_packs(tmp_path, packs=2, per_pack=5, seed=0)
    figures = data_scale.timed_imports(tmp_path)
    assert set(figures) == {"import_s", "reimport_unchanged_s"}


def test_the_province_is_built_rolled_up_and_every_page_answers(app, db):
    measured = data_scale.measure_province(app, 0.0, repeat=1)
    assert measured["counts"]["managers"] == 5 and measured["rows"] > 100
    pages = measured["pages"]
    assert set(pages) == {*data_scale.PAGES, data_scale.RELEASE}
    wanted = {page: 200 for page in data_scale.PAGES} | {"grading queue": 302, "release": 302}
    wrong = {page: f.get("error", f["status"]) for page, f in pages.items() if f["status"] != wanted[page]}
    assert not wrong, "\n".join(f"{page}: {error}" for page, error in wrong.items())
    assert pages["release"]["released"]
    assert all(f["queries"] > 0 for f in pages.values())
