"""Every check the generator makes, by problem code: the list the about page publishes.

A test keeps this list and the code in step: every code a check can report is listed here.
"""

from __future__ import annotations

from dataclasses import dataclass

from generator.problems import Severity


@dataclass(frozen=True)
class Rule:
    """One check: the code its problems carry, what it checks, and how bad a breach is."""

    code: str
    checks: str
    severity: Severity = Severity.ERROR


RULES: tuple[Rule, ...] = (
    # The descriptor (datapackage.json)
    Rule("no-packages", "There is at least one package to publish."),
    Rule("invalid-json", "The descriptor is valid JSON."),
    Rule("unreadable-file", "The descriptor can be read."),
    Rule("invalid-descriptor", "The descriptor has the shape the Data Package standard describes."),
    Rule("missing-name", "The package has a name, used in its web address."),
    Rule("name-mismatch", "The package's name is the name of its folder."),
    Rule("missing-resources", "The package lists at least one table."),
    Rule("invalid-resource", "Each table is described by an object."),
    Rule("missing-resource-name", "Each table has a name, used in its download address."),
    Rule("duplicate-resource-name", "No two tables have the same name."),
    Rule("missing-path", "Each table has a path to its CSV file."),
    Rule("remote-path", "No path, schema or profile is a web address: nothing is fetched from the network."),
    Rule("invalid-path", "No path holds control characters."),
    Rule("absolute-path", "No path is absolute."),
    Rule("unsafe-path", "No path leads outside the package folder, with '..' or through a link."),
    Rule("missing-file", "Each path leads to a file that exists."),
    Rule("not-csv", "Each table is a CSV file (.csv or .tsv, or another name with a declared CSV format or dialect), not a spreadsheet or JSON file."),
    Rule("not-json", "A schema or dialect kept in its own file is a .json file."),
    Rule("invalid-reference", "A schema or dialect kept in its own file is valid JSON."),
    # The bytes and cells of each CSV file
    Rule("empty-file", "The file is not empty."),
    Rule("encoding-error", "The file is UTF-8 text, or text in the encoding its resource declares."),
    Rule("mixed-line-endings", "Every line ends the same way."),
    Rule("nul-byte", "No cell holds NUL characters."),
    Rule("cell-too-large", "No cell holds more than 32,767 characters, the most a spreadsheet cell holds."),
    Rule("surrounding-spaces", "No value has spaces, tabs, non-breaking spaces or line breaks before or after it.", Severity.WARNING),
    Rule("no-rows", "The file has at least one row of data under its header."),
    # The table against its schema (checked by Frictionless)
    Rule("missing-label", "Every column the schema lists is in the header."),
    Rule("extra-label", "The header has no column the schema does not list."),
    Rule("duplicate-label", "No two columns have the same name."),
    Rule("blank-label", "Every column has a name."),
    Rule("incorrect-label", "Columns are in the order the schema lists them."),
    Rule("blank-row", "No row is empty."),
    Rule("missing-cell", "Every row has a cell for every column."),
    Rule("extra-cell", "No row has more cells than the header has columns."),
    Rule("type-error", "Every value has its field's type: numbers without separators, symbols or units; ISO dates."),
    Rule("constraint-error", "Every value meets its field's rules: required, allowed values, pattern, range."),
    Rule("unique-error", "Values of a unique field are unique."),
    Rule("primary-key", "No two rows share a key."),
    Rule("foreign-key", "Every reference to another table names a row that exists."),
    # Links between packages, and the indicator profile
    Rule("foreign-package-missing", "A package that another refers to is present and valid."),
    Rule("unknown-profile", "A package declares only a profile the generator knows."),
    Rule("profile-missing-resource", "An indicator package has every table the profile needs."),
    Rule("profile-field", "An indicator package's tables have the profile's fields and types."),
    Rule("rate-out-of-range", "A percentage lies between 0 and 100."),
    Rule("negative-count", "A count is not negative."),
    Rule("overlapping-periods", "Periods with dates do not overlap."),
    Rule("indicator-without-observations", "Every indicator has at least one figure.", Severity.WARNING),
    Rule("published-without-value", "A published assessment has a figure to assess.", Severity.WARNING),
    Rule("published-change-mismatch", "A published % change agrees with the figures.", Severity.WARNING),
    Rule("published-status-mismatch", "A published direction of travel agrees with the status rules.", Severity.WARNING),
    # The site
    Rule("unused-resource", "Every table is shown or linked on a page, not only offered as a download.", Severity.WARNING),
    Rule("page-template", "Every page's data tags name datasets, tables and fields that exist."),
    Rule("page-conflict", "No hand-written page has the address of a generated one."),
    Rule("release-not-in-history", "Every release in a release log can be found in the git history, to stay downloadable.", Severity.WARNING),
    # Following the specifications: encodings, tables in several files, where descriptors are
    Rule("encoding-mismatch", "A file declared in a one-byte encoding (latin-1, windows-1252) is not really UTF-8.", Severity.WARNING),
    Rule("multipart-file", "Each file of a table kept in several files (but the last) ends with a line break.", Severity.WARNING),
    Rule("invalid-yaml", "A datapackage.yaml descriptor is valid YAML."),
    Rule("nested-descriptor", "A package's descriptor is at the root of its folder, not deeper inside it."),
    Rule("missing-descriptor", "Every folder in datasets/ holds a datapackage.json (or .yaml).", Severity.WARNING),
)

CODES = frozenset(rule.code for rule in RULES)
