"""One registry of rules: every problem code is defined once in generator/problems/rules.py, documented
(what it checks, what to do), exercised by a fixture or a named test, and published; every
message is one a spreadsheet user can act on."""

from __future__ import annotations

import html
import importlib
import inspect
import json
import logging
import re
import shutil
from datetime import date
from pathlib import Path

import frictionless.errors
import pytest
from frictionless import Report
from frictionless.errors import DeviatedValueError, SourceError
from hypothesis import given
from hypothesis import strategies as st

from generator.checks import validate
from generator.cli import main
from generator.config import Config
from generator.inputs import load
from generator.pipeline import BuildResult
from generator.problems.fixes import Suggestions, closest, date_fix, label_fix
from generator.problems.records import Problem, Severity
from generator.problems.rules import CODES, FRICTIONLESS_CODES, RULES, UNMAPPED_CODE, Rule, rule_for
from tests.conftest import ROOT
from tests.test_fixtures import CASES, FIXTURES, fixture_project, write_package

CODE_LITERAL = re.compile(r'(?:Problem|problem|warn)\(\s*"([a-z0-9-]+)"')
FIXTURE_CODES = {line.rsplit("[", 1)[1].rstrip("]") for case in CASES for line in (FIXTURES / case / "expected.txt").read_text().splitlines()}


NAMED_TESTS = {
    # codes that no fixture shows (a fixture is one package in a project), and the test that does
    "no-packages": "tests.test_rules::test_a_project_without_packages_says_where_to_put_one",
    "unreadable-file": "tests.test_rules::test_a_path_through_a_file_is_reported_as_unreadable",
    "not-regular-file": "tests.test_rules::test_a_descriptor_that_is_a_folder_is_reported_not_raised",
    "descriptor-too-large": "tests.test_safety::test_a_huge_descriptor_is_refused_saying_the_limit",
    "too-many-columns": "tests.test_safety::test_a_header_of_a_million_columns_is_refused_before_frictionless_reads_it",
    "cell-too-large": "tests.test_fixtures::test_a_10_mb_cell_is_refused_as_too_large_for_a_spreadsheet",
    "page-template": "tests.test_rules::test_a_page_that_names_a_missing_table_or_conflicts_with_a_generated_one_is_refused",
    "page-conflict": "tests.test_rules::test_a_page_that_names_a_missing_table_or_conflicts_with_a_generated_one_is_refused",
    "output-conflict": "tests.test_outputs::test_a_resource_named_datapackage_does_not_lose_its_json_to_the_descriptor",
    "no-direct-contact": "tests.test_identity::test_a_publisher_without_email_or_phone_is_warned_about_naming_the_setting",
    "currency-not-stated": "tests.test_currency::test_without_a_currency_amounts_say_so_and_the_build_warns",
    "release-not-in-history": "tests.test_releases::test_a_release_missing_from_history_is_a_warning_not_a_broken_link",
    "release-not-comparable": "tests.test_revisions::test_an_earlier_release_that_no_longer_validates_is_a_warning_at_its_row_of_the_log",
    "unreadable-table": "tests.test_rules::test_frictionless_error_types_are_mapped_explicitly_and_an_unknown_one_gets_the_generic_code",
    UNMAPPED_CODE: "tests.test_rules::test_frictionless_error_types_are_mapped_explicitly_and_an_unknown_one_gets_the_generic_code",
    # an imported workbook's own problems (a fixture is a package, not a workbook)
    "workbook-unreadable": "tests.test_workbook::test_a_file_that_is_not_a_workbook_or_names_no_package_is_refused",
    "workbook-package": "tests.test_workbook::test_a_file_that_is_not_a_workbook_or_names_no_package_is_refused",
    "workbook-missing-sheet": "tests.test_workbook::test_a_renamed_sheet_is_missing_with_a_hint_and_an_extra_sheet_is_refused",
    "workbook-extra-sheet": "tests.test_workbook::test_a_renamed_sheet_is_missing_with_a_hint_and_an_extra_sheet_is_refused",
    "workbook-header": "tests.test_workbook::test_a_renamed_missing_or_extra_column_is_refused_at_its_header_cell",
    "workbook-formula": "tests.test_workbook::test_a_formula_or_an_error_value_is_refused_at_its_cell",
    "workbook-merged-cell": "tests.test_workbook::test_merged_cells_are_refused",
    "workbook-out-of-date": "tests.test_workbook::test_a_workbook_made_before_its_file_changed_is_questioned_before_it_undoes_the_change",
}


def test_every_rule_is_documented_and_exercised_by_a_fixture_or_a_named_test() -> None:
    assert len(RULES) > 40
    for rule in RULES:
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", rule.code), rule.code
        assert rule.checks.endswith(".") and len(rule.checks) > 15, rule.code
        assert rule.fix.endswith(".") and len(rule.fix) > 15, rule.code
        if rule.code in FIXTURE_CODES:
            continue
        assert rule.code in NAMED_TESTS, f"{rule.code}: add a fixture in tests/fixtures/ or a test named in NAMED_TESTS"
        module, name = NAMED_TESTS[rule.code].split("::")
        assert callable(getattr(importlib.import_module(module), name, None)), f"{rule.code}: {NAMED_TESTS[rule.code]} does not exist"


def test_codes_are_unique_and_every_fixture_code_is_a_rule() -> None:
    assert len(CODES) == len(RULES)
    assert not FIXTURE_CODES - CODES, FIXTURE_CODES - CODES


def test_every_code_the_generator_reports_is_a_published_rule() -> None:
    reported = {code for source in (ROOT / "generator").rglob("*.py") for code in CODE_LITERAL.findall(source.read_text(encoding="utf-8"))}
    assert len(reported) > 30
    assert reported - CODES == set()


def test_a_rule_needs_only_its_code_and_what_it_checks() -> None:
    rule = Rule("new-check", "Something new is checked.")
    assert (rule.severity.value, rule.fix.endswith("."), rule.message) == ("error", True, None)


def test_frictionless_error_types_are_mapped_explicitly_and_an_unknown_one_gets_the_generic_code(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    types = {cls.type for cls in vars(frictionless.errors).values() if inspect.isclass(cls) and issubclass(cls, frictionless.Error)}
    assert set(FRICTIONLESS_CODES) <= types
    assert set(FRICTIONLESS_CODES.values()) <= CODES
    default_checks = {"blank-row", "extra-cell", "missing-cell", "type-error", "constraint-error", "unique-error", "primary-key", "foreign-key"}
    default_checks |= {"missing-label", "extra-label", "duplicate-label", "blank-label", "incorrect-label", "byte-count", "hash-count", "encoding-error"}
    assert default_checks <= set(FRICTIONLESS_CODES)

    package = write_package(tmp_path / "odd-errors", {"fields": [{"name": "id", "type": "integer"}]}, ["id\n", "1\n"])
    real = load.validate_and_read

    def with_odd_errors(frictionless_package: object, joined: object = None, decided: object = ()) -> tuple[Report, object]:
        _, rows = real(frictionless_package, joined, decided)  # type: ignore[arg-type]
        odd = Report.from_validation_task(
            frictionless_package.resources[0],  # type: ignore[attr-defined]
            time=0,
            errors=[SourceError(note="the file went away"), DeviatedValueError(note="value deviates")],
        )
        return odd, rows

    monkeypatch.setattr(load, "validate_and_read", with_odd_errors)
    with caplog.at_level(logging.DEBUG, logger="generator.problems.rules"):
        problems, dataset = validate.validate_package(package, Config.for_project(tmp_path, fast_path=False))  # Frictionless reads the table
    assert dataset is None
    assert [p.code for p in problems] == ["unreadable-table", UNMAPPED_CODE]
    assert all(p.fix for p in problems)
    assert "'deviated-value'" in caplog.text


def _without_expansions(page: str) -> str:
    """The page's text as written before the glossary expanded its abbreviations."""
    page = re.sub(r'(?P<words>[^<>]+?) \(<abbr title="(?P=words)">(?P<term>[^<]+)</abbr>\)', r"\g<term>", page)
    return re.sub(r'<abbr title="[^"]*">([^<]+)</abbr>', r"\1", page)


def test_the_publishers_guide_publishes_every_rule_and_the_about_page_the_download_policy(built_site: BuildResult) -> None:
    guide = _without_expansions(" ".join(html.unescape((built_site.site_dir / "publishing/index.html").read_text(encoding="utf-8")).split()))
    for rule in RULES:
        assert re.search(f'<th scope="row"[^>]*>{re.escape(rule.code)}</th>', guide), rule.code
        assert html.unescape(rule.checks) in guide, rule.code
    assert "unused-resource" not in guide
    about = " ".join(html.unescape((built_site.site_dir / "about/index.html").read_text(encoding="utf-8")).split())
    assert not any(re.search(f'<th scope="row"[^>]*>{re.escape(rule.code)}</th>', about) for rule in RULES)  # readers are not shown problem codes
    assert "Nothing is altered silently" in about
    assert "never as a formula" in about


# Codes only a whole project shows --------------------------------------------------------------


def _validate(project: Path, capsys: pytest.CaptureFixture[str], command: str = "validate") -> tuple[int, list[Problem]]:
    code = main([command, "--project", str(project), "--format", "json", "--strict"])
    report = json.loads(capsys.readouterr().out or '{"problems": []}')
    return code, [Problem(**{**p, "severity": Severity(p["severity"])}) for p in report["problems"]]


def test_a_project_without_packages_says_where_to_put_one(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "datasets").mkdir()
    code, problems = _validate(tmp_path, capsys)
    assert (code, [(p.code, p.file) for p in problems]) == (1, [("no-packages", "datasets")])
    assert "datasets/<name>/" in problems[0].fix
    assert problems[0].message == rule_for("no-packages").message


def test_a_descriptor_that_is_a_folder_is_reported_not_raised(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "datasets" / "wards" / "datapackage.json").mkdir(parents=True)  # a folder where the file belongs
    code, problems = _validate(tmp_path, capsys)
    assert (code, [f"{p.location} [{p.code}]" for p in problems]) == (1, ["datasets/wards/datapackage.json [not-regular-file]"])


def test_a_path_through_a_file_is_reported_as_unreadable(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    package = _good_package(tmp_path)
    (package / "data" / "table.csv").rename(package / "data.csv")
    shutil.rmtree(package / "data")
    (package / "data").write_text("a file where a folder belongs")
    code, problems = _validate(fixture_project(package, tmp_path), capsys)
    assert (code, [f"{p.location} [{p.code}]" for p in problems]) == (1, ["datasets/wards/datapackage.json::resources[0].path [unreadable-file]"])
    assert "Not a directory" in problems[0].message


def test_a_page_that_names_a_missing_table_or_conflicts_with_a_generated_one_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = fixture_project(_good_package(tmp_path), tmp_path, page='{{ table("wards", "no-such-table") }}\n')
    (project / "site_src" / "docs" / "data").mkdir()
    (project / "site_src" / "docs" / "data" / "index.md").write_text("# My own data page\n")
    code, problems = _validate(project, capsys, "build")
    assert code == 1
    assert sorted(f"{p.location} [{p.code}]" for p in problems) == [
        "site_src/docs/data/index.md [page-conflict]",
        "site_src/docs/index.md:1 [page-template]",
    ]


# Messages a spreadsheet user can act on ---------------------------------------------------------


def _good_package(tmp_path: Path) -> Path:
    return write_package(
        tmp_path / "packages" / "wards",
        {"fields": [{"name": "ward_id", "type": "string"}, {"name": "name", "type": "string"}], "primaryKey": ["ward_id"]},
        ["ward_id,name\n", "bow-east,Bow East\n", "spitalfields,Spitalfields and Banglatown\n"],
    )


def _said(case: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> str:
    _, problems = _validate(fixture_project(FIXTURES / case, tmp_path), capsys)
    assert problems
    return "\n".join(f"{p.location} [{p.code}] {p.message} Fix: {p.fix}" for p in problems)


@pytest.mark.parametrize(
    ("case", "words"),
    [
        (
            "descriptor-errors",
            [
                """datapackage.json::licenses[0] [invalid-descriptor] Each licence requires "path" or "name"; this one has only 'title'.""",
                "datapackage.json::created [invalid-descriptor] 'last Tuesday' is not a valid datetime. Fix: Write created as YYYY-MM-DDThh:mm:ssZ",
            ],
        ),
        ("misspelt-id", ["Fix: Did you mean 'knife-crimes'?", "Fix: Did you mean 'acquisitive'?"]),
        (
            "date-format",
            [
                "start_date [type-error] The value '01/04/2019' is not a valid date. Fix: Write dates as YYYY-MM-DD, for example 2019-04-01",
                "published [type-error] The value '2019-08-01' is not a valid date. Fix: Write dates as DD/MM/YYYY, for example 01/08/2019",
                "updated [type-error] The value '01/08/2019 09:30' is not a valid datetime. Fix: Write dates and times as YYYY-MM-DDThh:mm:ss, "
                "for example 2019-08-01T09:30:00",
                "year [type-error] The value '2019/20' is not a valid year. Fix: Write years as YYYY, for example 2019",
            ],
        ),
        (
            "blank-required-value",
            [
                "A value is needed here: every row needs a count, and this cell is empty.",
                "If the figure is genuinely not available, leave the row out and say why",
                "write 'NA' (the missing-value marker the schema declares)",
            ],
        ),
        (
            "renamed-column",
            [
                "Rename the column 'ward' in the header row to 'ward_id'",
                "update or remove the resource's bytes and hash in datapackage.json too",
                "rename it in primaryKey too",
            ],
        ),
        ("wrong-checksum", ['Set "bytes": 89 in the resource', 'Set "hash": "sha256:a9107']),
        ("unknown-field-format", ["resources[0].schema.fields[1].format [invalid-descriptor] 'emial' is not one of", "Fix: Did you mean 'email'?"]),
    ],
)
def test_a_message_says_what_to_write(case: str, words: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    said = _said(case, tmp_path, capsys)
    for text in words:
        assert text in said
    assert "descriptor is not valid" not in said


def test_following_the_fix_for_a_renamed_column_leads_to_no_second_wave_of_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = fixture_project(FIXTURES / "renamed-column", tmp_path)
    package = project / "datasets" / "renamed-column"
    csv = package / "data" / "wards.csv"
    csv.write_text(csv.read_text().replace("ward,", "ward_id,", 1))
    descriptor = json.loads((package / "datapackage.json").read_text())
    for key in ("bytes", "hash"):
        del descriptor["resources"][0][key]
    (package / "datapackage.json").write_text(json.dumps(descriptor))
    assert _validate(project, capsys) == (0, [])


def test_a_misspelt_id_in_another_package_suggests_the_closest(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _good_package(tmp_path)
    schema = {
        "fields": [{"name": "ward_id", "type": "string"}, {"name": "count", "type": "integer"}],
        "x-foreignPackageKeys": [{"fields": ["ward_id"], "reference": {"package": "wards", "resource": "table", "fields": ["ward_id"]}}],
    }
    write_package(tmp_path / "packages" / "crimes", schema, ["ward_id,count\n", "bow-east,3\n", "spitalfeilds,4\n"])
    project = fixture_project(tmp_path / "packages" / "wards", tmp_path, page="")
    shutil.copytree(tmp_path / "packages" / "crimes", project / "datasets" / "crimes")
    code, problems = _validate(project, capsys)
    assert (code, [f"{p.location} [{p.code}]" for p in problems]) == (1, ["datasets/crimes/data/table.csv:3:ward_id [foreign-key]"])
    assert problems[0].fix.startswith("Did you mean 'spitalfields'? ")


def test_a_table_no_hand_written_page_uses_is_published_without_a_warning(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Every table is shown on its dataset page (data dictionary and preview) and downloadable."""
    assert _validate(fixture_project(_good_package(tmp_path), tmp_path, page="# Nothing about wards here\n"), capsys) == (0, [])


# The helpers behind the advice ------------------------------------------------------------------


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31)))
def test_a_uk_date_is_converted_to_iso_when_day_and_month_cannot_be_confused(day: date) -> None:
    fix = date_fix(day.strftime("%d/%m/%Y"), {"type": "date"})
    assert fix.startswith("Write dates as YYYY-MM-DD, for example ")
    if day.day > 12 or day.day == day.month:
        assert f"for example {day.isoformat()} for " in fix and "read as" not in fix
    else:
        assert f"for example {day.isoformat()} for " in fix and "(read as day/month/year, as in the UK)" in fix


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31)))
def test_an_iso_date_in_a_field_with_its_own_format_is_shown_in_that_format(day: date) -> None:
    fix = date_fix(day.isoformat(), {"type": "date", "format": "%d/%m/%Y"})
    assert fix == f"Write dates as DD/MM/YYYY, for example {day:%d/%m/%Y} for '{day.isoformat()}'."


def test_a_value_that_is_no_date_gets_an_example() -> None:
    assert date_fix("soon", {"type": "date"}) == "Write dates as YYYY-MM-DD, for example 2019-04-01."
    assert date_fix("31/02/2019", {"type": "date"}) == "Write dates as YYYY-MM-DD, for example 2019-04-01."


def test_the_closest_known_value_is_suggested_only_when_it_is_close() -> None:
    assert closest("knife-crime", ["knife-crimes", "burglary"]) == "knife-crimes"
    assert closest("INNER", ["inner", "outer"]) == "inner"
    assert closest("mile-end", ["bow-east", "spitalfields"]) is None
    assert closest("bow-east", ["bow-east"]) is None


def test_renaming_a_column_that_keys_name_says_which_keys_to_change_too() -> None:
    wards = {"name": "wards", "schema": {"fields": [{"name": "ward_id"}], "primaryKey": "ward_id"}}
    crimes = {"name": "crimes", "schema": {"foreignKeys": [{"fields": "ward", "reference": {"resource": "wards", "fields": "ward_id"}}]}}
    fix = label_fix("incorrect-label", "ward_id", "Ward", wards, [wards, crimes])
    assert fix == (
        "Rename the column 'Ward' in the header row to 'ward_id', the name the schema gives it in this position. "
        "If you rename the field in the schema instead, rename it in primaryKey and the foreignKeys of 'crimes' too."
    )
    own = {"name": "crimes", "schema": {"foreignKeys": [{"fields": ["ward"], "reference": {"resource": "wards", "fields": ["ward_id"]}}]}}
    assert label_fix("incorrect-label", "ward", "Ward", own, [wards, own]).endswith("rename it in foreignKeys too.")
    assert "rename it" not in label_fix("incorrect-label", "name", "Name", wards, [wards, crimes])


def test_suggestions_are_looked_up_once_and_only_while_the_search_stays_quick() -> None:
    few = Suggestions(["knife-crimes", "burglary"])
    assert few.did_you_mean("knife-crime") == "Did you mean 'knife-crimes'? "
    assert all(few.did_you_mean(f"other-{i}") == "" for i in range(Suggestions.MAX_LOOKUPS))
    assert few.did_you_mean("burglery") == "", "no new lookups once many values were looked up"
    assert few.did_you_mean("knife-crime") == "Did you mean 'knife-crimes'? ", "a value looked up before is remembered"
    many = Suggestions(f"ward-{i}" for i in range(Suggestions.MAX_KNOWN + 1))
    assert many.did_you_mean("ward-1x") == ""
