"""Every definition-problem code, each from a small inline file (pyxform style)."""

from __future__ import annotations

from pathlib import Path

import pytest

from pmp_surveys.instruments.errors import InstrumentDefinitionError, Problems
from pmp_surveys.instruments.loader import load_instrument_dir, load_instrument_file

from .conftest import HEAD, YES_NO, t

LABEL = t("Q")


def single(qid: str, extra: str = "", options: str = YES_NO) -> str:
    return f'\n[[questions]]\nkind = "single"\nid = "{qid}"\nlabel = {LABEL}\n{extra}\n{options}\n'


def likert(qid: str, extra: str = "", points: int = 5) -> str:
    anchors = f"anchors = [{{ point = 1, label = {t('lo')} }}, {{ point = {points}, label = {t('hi')} }}]"
    return f'\n[[questions]]\nkind = "likert"\nid = "{qid}"\npoints = {points}\nlabel = {LABEL}\n{extra}\n{anchors}\n'


def rule(body: str, kind: str = "share", rid: str = "r") -> str:
    return f'\n[[scoring]]\nkind = "{kind}"\nid = "{rid}"\nlabel = {LABEL}\n{body}\n'


def num(qid: str, extra: str = "") -> str:
    return f'\n[[questions]]\nkind = "number"\nid = "{qid}"\nlabel = {LABEL}\n{extra}\n'


def text(qid: str) -> str:
    return f'\n[[questions]]\nkind = "text"\nid = "{qid}"\nlabel = {LABEL}\n'


CASES: list[tuple[str, str, str, str]] = [
    # (name, toml, expected code, expected path)
    ("toml syntax", HEAD + "\nquestions = [\n  oops\n]\n", "PMP100", "line 7, column 3"),
    ("unknown field", HEAD + single("q", "colour = 1"), "PMP102", "questions[0].colour"),
    ("unknown top-level field", HEAD + 'autor = "x"\n' + single("q"), "PMP102", "autor"),
    ("wrong type", HEAD + single("q", 'required = "yes"'), "PMP103", "questions[0].required"),
    ("bad id", HEAD + single("Q-1"), "PMP103", "questions[0].id"),
    ("missing field", HEAD + '\n[[questions]]\nkind = "single"\nid = "q"\n' + YES_NO, "PMP104", "questions[0].label"),
    (
        "missing translation",
        HEAD
        + single(
            "q",
            options='options = [{ value = "a", code = 1, label = { lv = "a", uk = "a", en = "a" } }, '
            f'{{ value = "b", code = 2, label = {LABEL} }}]',
        ),
        "PMP105",
        "questions[0].options[0].label.ru",
    ),
    (
        "empty translation",
        HEAD
        + single("x")
        + single(
            "y",
            options=f'options = [{{ value = "a", code = 1, label = {LABEL} }}, '
            '{ value = "b", code = 2, label = { lv = "b", ru = "  ", uk = "b", en = "b" } }]',
        ),
        "PMP105",
        "questions[1].options[1].label.ru",
    ),
    ("unknown kind", HEAD + '\n[[questions]]\nkind = "slider"\nid = "q"\n', "PMP106", "questions[0].kind"),
    ("duplicate question id", HEAD + single("q") + single("q"), "PMP110", "questions[1].id"),
    (
        "duplicate option value",
        HEAD
        + single(
            "q",
            options=f'options = [{{ value = "a", code = 1, label = {LABEL} }}, '
            f'{{ value = "a", code = 2, label = {LABEL} }}]',
        ),
        "PMP111",
        "questions[0].options[1].value",
    ),
    (
        "duplicate option code",
        HEAD
        + single(
            "q",
            options=f'options = [{{ value = "a", code = 1, label = {LABEL} }}, '
            f'{{ value = "b", code = 1, label = {LABEL} }}]',
        ),
        "PMP112",
        "questions[0].options[1].code",
    ),
    (
        "too few options",
        HEAD + single("q", options=f'options = [{{ value = "a", code = 1, label = {LABEL} }}]'),
        "PMP113",
        "questions[0].options",
    ),
    ("likert points < 2", HEAD + likert("q", points=1), "PMP120", "questions[0].points"),
    (
        "likert label count",
        HEAD
        + f'\n[[questions]]\nkind = "likert"\nid = "q"\npoints = 3\nlabel = {LABEL}\nlabels = [{LABEL}, {LABEL}]\n',
        "PMP121",
        "questions[0].labels",
    ),
    (
        "likert anchor outside",
        HEAD
        + likert(
            "q",
            f"anchors = [{{ point = 1, label = {LABEL} }}, "
            f"{{ point = 5, label = {LABEL} }}, {{ point = 7, label = {LABEL} }}]",
        ).replace("\nanchors = [{ point = 1, label = " + t("lo"), "\n#"),
        "PMP122",
        "questions[0].anchors[2].point",
    ),
    ("number min > max", HEAD + num("n", "min = 5\nmax = 1"), "PMP123", "questions[0]"),
    (
        "show_if unknown question",
        HEAD + single("q", 'show_if = { question = "nope", in = ["yes"] }'),
        "PMP130",
        "questions[0].show_if.question",
    ),
    (
        "show_if later question",
        HEAD + single("a", 'show_if = { question = "b", in = ["yes"] }') + single("b"),
        "PMP131",
        "questions[0].show_if.question",
    ),
    (
        "show_if on itself",
        HEAD + single("a", 'show_if = { question = "a", in = ["yes"] }'),
        "PMP131",
        "questions[0].show_if.question",
    ),
    (
        "show_if unknown option",
        HEAD + single("a") + single("b", 'show_if = { question = "a", in = ["maybe"] }'),
        "PMP132",
        "questions[1].show_if.in[0]",
    ),
    (
        "show_if on a number",
        HEAD + num("a") + single("b", 'show_if = { question = "a", in = ["1"] }'),
        "PMP133",
        "questions[1].show_if.question",
    ),
    (
        "duplicate rule id",
        HEAD + single("q") + rule('question = "q"\nsuccess = ["yes"]') * 2,
        "PMP140",
        "scoring[1].id",
    ),
    (
        "rule unknown question",
        HEAD + single("q") + rule('question = "x"\nsuccess = ["yes"]'),
        "PMP141",
        "scoring[0].question",
    ),
    (
        "rule unknown option",
        HEAD + single("q") + rule('question = "q"\nsuccess = ["maybe"]'),
        "PMP142",
        "scoring[0].success[0]",
    ),
    (
        "rule dont_know not offered",
        HEAD + likert("q") + rule('question = "q"\nsuccess = [5]\nexclude = ["dont_know"]'),
        "PMP142",
        "scoring[0].exclude[0]",
    ),
    (
        "rule likert point outside",
        HEAD + likert("q") + rule('question = "q"\nsuccess = [6]'),
        "PMP142",
        "scoring[0].success[0]",
    ),
    (
        "share on a text question",
        HEAD + text("q") + rule('question = "q"\nsuccess = ["a"]'),
        "PMP143",
        "scoring[0].question",
    ),
    (
        "scale item not numeric",
        HEAD + single("q") + rule('items = ["q"]\nmin_valid = 1', "scale"),
        "PMP144",
        "scoring[0].items[0]",
    ),
    (
        "scale min_valid",
        HEAD + likert("q") + rule('items = ["q"]\nmin_valid = 2', "scale"),
        "PMP145",
        "scoring[0].min_valid",
    ),
    (
        "scale mixed range",
        HEAD + likert("a") + likert("b", points=9) + rule('items = ["a", "b"]\nmin_valid = 1', "scale"),
        "PMP146",
        "scoring[0].items",
    ),
    (
        "scale repeated item",
        HEAD + likert("a") + rule('items = ["a", "a"]\nmin_valid = 1', "scale"),
        "PMP147",
        "scoring[0].items[1]",
    ),
    (
        "scale unbounded number",
        HEAD + num("a", "min = 0") + rule('items = ["a"]\nmin_valid = 1', "scale"),
        "PMP148",
        "scoring[0].items[0]",
    ),
    (
        "scale unknown item",
        HEAD + likert("a") + rule('items = ["zz"]\nmin_valid = 1', "scale"),
        "PMP141",
        "scoring[0].items[0]",
    ),
    (
        "threshold unknown scale",
        HEAD + likert("a") + rule('scale = "s"\noperator = ">="\ncutoff = 4\nbasis = "convention"', "threshold"),
        "PMP150",
        "scoring[0].scale",
    ),
    (
        "threshold before its scale is fine, outside range is not",
        HEAD
        + likert("a")
        + rule('scale = "s"\noperator = "<"\ncutoff = 0.5\nbasis = "published"', "threshold", "t")
        + rule('items = ["a"]\nmin_valid = 1', "scale", "s"),
        "PMP151",
        "scoring[0].cutoff",
    ),
    (
        "threshold outside range",
        HEAD
        + likert("a")
        + rule('items = ["a"]\nmin_valid = 1', "scale", "s")
        + rule('scale = "s"\noperator = ">="\ncutoff = 7\nbasis = "convention"', "threshold", "t"),
        "PMP151",
        "scoring[1].cutoff",
    ),
    (
        "a quasi-identifier must be a single-choice question",
        HEAD.replace("\n", '\nquasi_identifiers = ["q", "a"]\n', 1) + single("q") + likert("a"),
        "PMP161",
        "quasi_identifiers[1]",
    ),
]


@pytest.mark.parametrize(("source", "code", "path"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_definition_problem(tmp_path: Path, source: str, code: str, path: str) -> None:
    file = tmp_path / "broken.toml"
    file.write_text(source, encoding="utf-8")
    with pytest.raises(InstrumentDefinitionError) as info:
        load_instrument_file(file)
    problems = info.value.problems
    assert code in [p.code for p in problems], str(info.value)
    problem = next(p for p in problems if p.code == code)
    assert problem.path == path
    assert problem.file == str(file)
    kind = next(k for k in Problems.all() if k.code == code)
    # The message says what is wrong and the fix what to do; str() lists both with file and path.
    assert problem.fix and problem.fix.split()[0] in kind.fix
    rendered = str(info.value)
    assert code in rendered and path in rendered and problem.fix in rendered and str(file) in rendered


def test_every_catalogue_code_is_exercised() -> None:
    exercised = {c[2] for c in CASES} | {"PMP101", "PMP160"}  # both tested below
    assert {k.code for k in Problems.all() if k.code < "PMP170"} == exercised  # XLSForm codes: test_xlsform.py


def test_codes_are_unique() -> None:
    codes = [k.code for k in Problems.all()]
    assert len(codes) == len(set(codes))


def test_unreadable_file(tmp_path: Path) -> None:
    with pytest.raises(InstrumentDefinitionError) as info:
        load_instrument_file(tmp_path / "missing.toml")
    assert info.value.codes == ["PMP101"]


def test_duplicate_key_in_directory(tmp_path: Path) -> None:
    (tmp_path / "one.toml").write_text(HEAD + single("q"), encoding="utf-8")
    (tmp_path / "two.toml").write_text(HEAD + single("other"), encoding="utf-8")
    with pytest.raises(InstrumentDefinitionError) as info:
        load_instrument_dir(tmp_path)
    (problem,) = info.value.problems
    assert (problem.code, problem.path) == ("PMP160", "key")
    assert problem.file.endswith("two.toml") and "one.toml" in problem.message
    assert "unique" in problem.fix


def test_all_problems_of_a_file_are_reported_together(tmp_path: Path) -> None:
    file = tmp_path / "x.toml"
    file.write_text(HEAD + single("q") + single("q") + num("n", "min = 3\nmax = 2"), encoding="utf-8")
    with pytest.raises(InstrumentDefinitionError) as info:
        load_instrument_file(file)
    assert info.value.codes == ["PMP110", "PMP123"]
    assert str(info.value).startswith("2 problems")


def test_directory_reports_problems_of_every_file(tmp_path: Path) -> None:
    (tmp_path / "a.toml").write_text(HEAD + single("q") + single("q"), encoding="utf-8")
    (tmp_path / "b.toml").write_text("key = [", encoding="utf-8")
    with pytest.raises(InstrumentDefinitionError) as info:
        load_instrument_dir(tmp_path)
    assert sorted(info.value.codes) == ["PMP100", "PMP110"]
