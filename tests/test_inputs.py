import pytest

from opendata.exceptions import InvalidData
from opendata.inputs import LINE, read_yaml

TEXT = "- {id: a, label: 元}\n- {id: b, label: 万元}\n"


def problem_of(path):
    with pytest.raises(InvalidData) as caught:
        read_yaml(path, "curation/units.yaml")
    [problem] = caught.value.problems
    return problem


def test_yaml_mappings_carry_their_line(tmp_path):
    path = tmp_path / "units.yaml"
    path.write_text(TEXT, encoding="utf-8")
    assert [entry[LINE] for entry in read_yaml(path, "units.yaml")] == [1, 2]


@pytest.mark.parametrize("case, encode, code", [
    ("gbk", lambda text: text.encode("gbk"), "encoding-error"),
    ("bom", lambda text: b"\xef\xbb\xbf" + text.encode("utf-8"), "encoding-bom"),
    ("crlf", lambda text: text.replace("\n", "\r\n").encode("utf-8"), "line-endings"),
])
def test_badly_saved_inputs_are_refused_with_the_fix(tmp_path, case, encode, code):
    path = tmp_path / f"{case}.yaml"
    path.write_bytes(encode(TEXT))
    problem = problem_of(path)
    assert (problem.file, problem.code) == ("curation/units.yaml", code)
    assert problem.hint


def test_yaml_syntax_error_names_the_line(tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text("- {id: a\n- b: [\n", encoding="utf-8")
    problem = problem_of(path)
    assert problem.code == "yaml-syntax" and problem.line is not None


def test_a_key_given_twice_is_refused_at_its_second_line(tmp_path):
    path = tmp_path / "package.yaml"
    path.write_text("name: a\nversion: 1.0.0\ncontact: x@example.org\n"
                    "contact: y@example.org\n", encoding="utf-8")
    problem = problem_of(path)
    assert (problem.code, problem.line) == ("yaml-syntax", 4)
    assert "'contact' is given twice" in problem.message
    path.write_text("- {id: a, id: b}\n", encoding="utf-8")
    assert "'id' is given twice" in problem_of(path).message
