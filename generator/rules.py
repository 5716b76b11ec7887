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
    Rule("not-csv", "Each table is a .csv file."),
    Rule("not-json", "A schema or dialect kept in its own file is a .json file."),
    Rule("invalid-reference", "A schema or dialect kept in its own file is valid JSON."),
    # The bytes and cells of each CSV file
    Rule("empty-file", "The file is not empty."),
    Rule("encoding-error", "The file is UTF-8 text."),
    Rule("utf8-bom", "The file does not start with a byte-order mark."),
    Rule("mixed-line-endings", "Every line ends the same way."),
    Rule("nul-byte", "No cell holds NUL characters."),
    Rule("cell-too-large", "No cell holds more than 32,767 characters, the most a spreadsheet cell holds."),
    Rule("surrounding-spaces", "No value has spaces or tabs before or after it."),
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
    # Hostile files and names (issue 10): refused quickly, never read past what is safe
    Rule("not-regular-file", "The descriptor and every path lead to a regular file, not a device, pipe or folder."),
    Rule("linked-file", "No path is, or goes through, a link: only regular files in the package are published."),
    Rule("backslash-path", "Paths separate folders with '/', not '\\'."),
    Rule("path-too-long", "No path is longer than file systems allow."),
    Rule("descriptor-too-large", "The descriptor, and each schema or dialect file, is at most 10 MB."),
    Rule("json-too-deep", "The descriptor nests at most 64 levels deep."),
    Rule("too-many-columns", "No table has more than 16,384 columns, the most a spreadsheet holds."),
    Rule("unsafe-name", "Package, table, release and indicator names are short single names: no '/', '\\', leading '.' or control characters."),
)

CODES = frozenset(rule.code for rule in RULES)
