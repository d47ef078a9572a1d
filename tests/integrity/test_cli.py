"""`drill similar INPUT.json` prints the pairs the app would flag; malformed input names the record."""

import json

from tests.integrity.answers import seeded_set


def test_drill_similar_prints_the_copied_pairs_most_similar_first(runner, tmp_path):
    texts, copied = seeded_set(5, originals=40, copies=6)
    source = tmp_path / "answers.json"
    source.write_text(json.dumps({"answers": [{"id": k, "text": v} for k, v in texts.items()]}), "utf-8")
    result = runner.invoke(args=["similar", str(source)])
    assert result.exit_code == 0, result.output
    pairs = json.loads(result.output)["pairs"]
    assert {frozenset((p["a"], p["b"])) for p in pairs} == copied
    values = [p["similarity"] for p in pairs]
    assert values == sorted(values, reverse=True)
    assert set(pairs[0]) == {"a", "b", "similarity"}


def test_a_record_without_text_is_named_in_the_error(runner, tmp_path):
    source = tmp_path / "answers.json"
    source.write_text(json.dumps({"answers": [{"id": "a1", "text": "x"}, {"id": "a2", "txt": "y"}]}))
    result = runner.invoke(args=["similar", str(source)])
    assert result.exit_code == 2
    assert 'answers[1] (id "a2"): text must be a string' in result.output


def test_a_repeated_id_and_a_file_that_is_not_json_are_refused_clearly(runner, tmp_path):
    source = tmp_path / "answers.json"
    source.write_text(json.dumps({"answers": [{"id": "a1", "text": "x"}, {"id": "a1", "text": "y"}]}))
    result = runner.invoke(args=["similar", str(source)])
    assert result.exit_code == 2 and 'answers[1] (id "a1"): the id is used twice' in result.output
    source.write_text('{"answers": [')
    result = runner.invoke(args=["similar", str(source)])
    assert result.exit_code == 2 and "not JSON: line 1" in result.output
