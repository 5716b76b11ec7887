"""Every check the generator makes, by problem code, defined once: what it checks, how bad a
breach is and what to do about one. The about page publishes this list.

Frictionless' error types are mapped explicitly to these codes (``FRICTIONLESS_CODES``); a
type not in the map gets ``UNMAPPED_CODE``. Tests keep the list and the code in step: every
code a check can report is listed here, documented, and exercised by a fixture or a test.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from generator.problems.records import Severity

log = logging.getLogger(__name__)

DEFAULT_FIX = "Correct the value or the descriptor as the message says, then validate again."


@dataclass(frozen=True)
class Rule:
    """One check: the code its problems carry, what it checks, how bad a breach is, what to do
    about one in general (a check gives more specific advice where it can), and the message
    when it is always the same."""

    code: str
    checks: str
    severity: Severity = Severity.ERROR
    fix: str = DEFAULT_FIX
    message: str | None = None


RULES: tuple[Rule, ...] = (
    # The descriptor (datapackage.json)
    Rule(
        "no-packages",
        "There is at least one package to publish.",
        fix="Add a folder datasets/<name>/ holding a datapackage.json.",
        message="No datapackage was found.",
    ),
    Rule("invalid-json", "The descriptor is valid JSON.", fix="Correct the JSON at that line (a missing comma, quote or bracket is the usual cause)."),
    Rule("unreadable-file", "The descriptor can be read.", fix="Check that the file exists and is readable."),
    Rule(
        "invalid-descriptor",
        "The descriptor has the shape the Data Package standard describes.",
        fix="Give the property the shape the Data Package standard describes (see datapackage.org), or remove it.",
    ),
    Rule("missing-name", "The package has a name, used in its web address.", fix='Add "name": the folder\'s name (lower case, digits and dashes).'),
    Rule("name-mismatch", "The package's name is the name of its folder.", fix="Rename the folder to the package's name, or the package to its folder's."),
    Rule(
        "missing-resources",
        "The package lists at least one table.",
        fix='Add a "resources" list with one entry per CSV file.',
        message="The package lists no resources.",
    ),
    Rule("invalid-resource", "Each table is described by an object.", fix="Describe the resource as { ... }.", message="A resource must be a JSON object."),
    Rule(
        "missing-resource-name",
        "Each table has a name, used in its download address.",
        fix='Add "name" (lower case, digits and dashes), for example the file name without .csv.',
        message="The resource has no name; it is needed for its download URL.",
    ),
    Rule("duplicate-resource-name", "No two tables have the same name.", fix="Give every resource its own name."),
    Rule(
        "missing-path",
        "Each table has a path to its CSV file.",
        fix='Add "path": "data/<file>.csv".',
        message="The resource has no path (tables are published from CSV files).",
    ),
    Rule(
        "remote-path",
        "No path, schema or profile is a web address: nothing is fetched from the network.",
        fix="Download the file, put it in the package folder and use a relative path (or write the schema inline).",
    ),
    Rule("invalid-path", "No path holds control characters.", fix="Type the path again: letters, digits, '-', '_', '.' and '/'."),
    Rule("absolute-path", "No path is absolute.", fix="Use a path relative to the package folder, such as data/<file>.csv."),
    Rule(
        "unsafe-path",
        "No path leads outside the package folder, with '..' or through a link.",
        fix="Move the file into the package folder and use a path without '..'.",
    ),
    Rule("missing-file", "Each path leads to a file that exists.", fix="Add the file, or correct the path."),
    Rule(
        "not-csv",
        "Each table is a CSV file (.csv or .tsv, or another name with a declared CSV format or dialect), not a spreadsheet or JSON file.",
        fix="Save it as CSV (UTF-8) and point the path at it.",
    ),
    Rule("not-json", "A schema or dialect kept in its own file is a .json file.", fix="Save it as JSON and point the path at it."),
    Rule("invalid-reference", "A schema or dialect kept in its own file is valid JSON.", fix="Correct that JSON file."),
    # The bytes and cells of each CSV file
    Rule("empty-file", "The file is not empty.", fix="Export the table again, with its header row and data."),
    Rule(
        "encoding-error",
        "The file is UTF-8 text, or text in the encoding its resource declares.",
        fix="Save the file as UTF-8 (in Excel: Save As, then 'CSV UTF-8').",
    ),
    Rule("mixed-line-endings", "Every line ends the same way.", fix="Save the file again from one program, so that every line ends the same way."),
    Rule("nul-byte", "No cell holds NUL characters.", fix="Remove the NUL characters from the cell; re-export the file from the spreadsheet as CSV UTF-8."),
    Rule(
        "cell-too-large",
        "No cell holds more than 32,767 characters, the most a spreadsheet cell holds.",
        fix="Shorten the cell, or split its text over several rows or a separate file.",
    ),
    Rule(
        "surrounding-spaces",
        "No value has spaces, tabs, non-breaking spaces or line breaks before or after it.",
        Severity.WARNING,
        fix="Remove the spaces before and after the value.",
    ),
    Rule("no-rows", "The file has at least one row of data under its header.", fix="Add the rows of data under the header, or remove the table."),
    # The table against its schema (checked by Frictionless)
    Rule(
        "missing-label", "Every column the schema lists is in the header.", fix="Add the missing column to the header row (with the exact name in the schema)."
    ),
    Rule("extra-label", "The header has no column the schema does not list.", fix="Remove the column, or add it to the resource's schema in datapackage.json."),
    Rule("duplicate-label", "No two columns have the same name.", fix="Rename or remove one of the columns with the same name."),
    Rule("blank-label", "Every column has a name.", fix="Give the column a name in the header row, or delete the empty column."),
    Rule("incorrect-label", "Columns are in the order the schema lists them.", fix="Rename the column to the name the schema expects, in the same position."),
    Rule("blank-row", "No row is empty.", fix="Delete the empty row."),
    Rule("missing-cell", "Every row has a cell for every column.", fix="Add the missing value(s): every row needs as many cells as the header has columns."),
    Rule("extra-cell", "No row has more cells than the header has columns.", fix="Remove the extra cell(s), or quote a value that contains a comma."),
    Rule(
        "type-error",
        "Every value has its field's type: numbers without separators, symbols or units; ISO dates.",
        fix="Enter a value of the field's type, or leave the cell empty if the field is optional.",
    ),
    Rule(
        "constraint-error",
        "Every value meets its field's rules: required, allowed values, pattern, range.",
        fix="Change the value so that it meets the rule in the field's constraints.",
    ),
    Rule("unique-error", "Values of a unique field are unique.", fix="Values in this column must be unique: remove or correct the duplicate."),
    Rule("primary-key", "No two rows share a key.", fix="Give each row a unique key: remove the duplicate row or correct its identifier."),
    Rule(
        "foreign-key",
        "Every reference to another table names a row that exists.",
        fix="Use a value that exists in the referenced table, or add it there first.",
    ),
    # Links between packages, and the indicator profile
    Rule("foreign-package-missing", "A package that another refers to is present and valid.", fix="Add or correct that package, or remove the reference."),
    Rule(
        "unknown-profile",
        "A package declares only a profile the generator knows.",
        fix="Use a profile the generator knows, or remove x-profile to publish the package as plain data.",
    ),
    Rule(
        "profile-missing-resource",
        "An indicator package has every table the profile needs.",
        fix="Add the resource, with the schema in schemas/indicator-profile/.",
    ),
    Rule("profile-field", "An indicator package's tables have the profile's fields and types.", fix="Copy the field from the profile's schema in schemas/."),
    Rule("rate-out-of-range", "A percentage lies between 0 and 100.", fix="Enter a percentage between 0 and 100 (69 for 69%)."),
    Rule("negative-count", "A count is not negative.", fix="Counts cannot be negative: check the sign."),
    Rule("overlapping-periods", "Periods with dates do not overlap.", fix="Correct the dates so that periods do not overlap."),
    Rule(
        "indicator-without-observations",
        "Every indicator has at least one figure.",
        Severity.WARNING,
        fix="Add its values to observations, or remove the indicator.",
    ),
    Rule(
        "indicator-missing-latest-period",
        "Every indicator with figures has one for the newest period (else the site shows Not available there).",
        Severity.WARNING,
        fix="Add the observations row indicator_id,period_id,value for the newest period, or explain its absence in the indicator's notes.",
    ),
    Rule(
        "published-without-value",
        "A published assessment has a figure to assess.",
        Severity.WARNING,
        fix="Add the figure to observations, or remove the published assessment.",
    ),
    Rule(
        "published-change-mismatch",
        "A published % change agrees with the figures.",
        Severity.WARNING,
        fix="Correct the published change or the figures, so that they agree.",
    ),
    Rule(
        "published-status-mismatch",
        "A published direction of travel agrees with the status rules.",
        Severity.WARNING,
        fix="Correct the published status or the figures, so that they agree.",
    ),
    # The site
    Rule(
        "page-template",
        "Every page's data tags name datasets, tables and fields that exist.",
        fix="Correct the dataset, table or field name in the page's data tag.",
    ),
    Rule("page-conflict", "No hand-written page has the address of a generated one.", fix="Move or rename the hand-written page."),
    Rule(
        "output-conflict",
        "No two files of the site have the same address (a resource named datapackage, a package named all-data).",
        fix="Rename the package or resource so that its files have addresses of their own.",
    ),
    Rule(
        "no-direct-contact",
        "A configured publisher gives readers an email address or a phone number, not only a web page (extra: publisher: contact in mkdocs.yml).",
        Severity.WARNING,
        fix="Set extra: publisher: contact: email or phone in mkdocs.yml to an address or number the publisher has confirmed.",
    ),
    Rule(
        "currency-not-stated",
        "Indicators measured in money say which currency (extra: currency in mkdocs.yml).",
        Severity.WARNING,
        fix='Set extra: currency: {symbol: "£", name: Pounds sterling} (or your currency) in mkdocs.yml.',
    ),
    Rule(
        "release-not-in-history",
        "Every release in a release log can be found in the git history, to stay downloadable.",
        Severity.WARNING,
        fix="Correct the release's date or version, or commit the data it describes.",
    ),
    Rule(
        "release-not-comparable",
        "The data of every earlier release, read from git history, still validates, so that what each release changed can be shown.",
        Severity.WARNING,
        fix="Check out the last commit of that release and run python -m generator validate there to see why; correct the log if its version is wrong.",
    ),
    # Frictionless' checks that need a rule of their own (see FRICTIONLESS_CODES)
    Rule(
        "byte-count",
        "A table's declared size (bytes) is the size of its CSV file.",
        fix="Update the resource's bytes property to the file's size, or remove it.",
    ),
    Rule(
        "hash-count",
        "A table's declared checksum (hash) is the checksum of its CSV file.",
        fix="Update the resource's hash property to the file's checksum, or remove it.",
    ),
    Rule("unreadable-table", "Each table's file can be opened and read as CSV.", fix="Check that the file is a readable CSV file, saved as CSV UTF-8."),
    Rule(
        "table-problem",
        "Nothing else is wrong with a table: a kind of problem Frictionless finds that has no advice of its own here yet.",
        fix="Correct the table or its schema as the message says, then validate again.",
    ),
    # Licences (never a licence the publisher did not choose)
    Rule("licence-not-stated", "Every package names its licence, or the site sets a default licence in mkdocs.yml.", Severity.WARNING),
    # Never an internal error from data; plausibility (issue 10, part 3)
    Rule("non-finite-number", "A number is an ordinary figure: not NaN, Infinity or too large to compute with (1e400)."),
    Rule("foreign-package-key-field", "A key into another package names fields that exist in both tables, as many on each side."),
    Rule("period-end-before-start", "A period starts on or before the day it ends."),
    Rule("period-compared-with-itself", "No period is compared with itself."),
    Rule("period-comparison-cycle", "Following compared_with from period to period never comes back round to the same period."),
    Rule("percent-as-fraction", "A percentage is written out of 100 (74, not 0.74 for 74%).", Severity.WARNING),
    Rule("duplicate-sequence", "No two priorities, indicators, periods or statuses share a sequence number.", Severity.WARNING),
    Rule("comparison-length-mismatch", "A period is compared with one of about the same length.", Severity.WARNING),
    # Following the specifications: encodings, tables in several files, where descriptors are
    Rule("encoding-mismatch", "A file declared in a one-byte encoding (latin-1, windows-1252) is not really UTF-8.", Severity.WARNING),
    Rule("multipart-file", "Each file of a table kept in several files (but the last) ends with a line break.", Severity.WARNING),
    Rule("invalid-yaml", "A datapackage.yaml descriptor is valid YAML."),
    Rule("nested-descriptor", "A package's descriptor is at the root of its folder, not deeper inside it."),
    Rule("missing-descriptor", "Every folder in datasets/ holds a datapackage.json (or .yaml).", Severity.WARNING),
    # Hostile files and names (issue 10): refused quickly, never read past what is safe
    Rule("not-regular-file", "The descriptor and every path lead to a regular file, not a device, pipe or folder."),
    Rule("linked-file", "No path is, or goes through, a link: only regular files in the package are published."),
    Rule("backslash-path", "Paths separate folders with '/', not '\\'."),
    Rule("path-too-long", "No path is longer than file systems allow."),
    Rule("descriptor-too-large", "The descriptor, and each schema or dialect file, is at most 10 MB."),
    Rule("json-too-deep", "The descriptor nests at most 64 levels deep."),
    Rule("too-many-columns", "No table has more than 16,384 columns, the most a spreadsheet holds."),
    Rule("unsafe-name", "Package, table, release and indicator names are short single names: no '/', '\\', leading '.' or control characters."),
    # Editing in a spreadsheet (issue 13): an imported workbook is a package's tables, nothing else
    Rule(
        "workbook-unreadable",
        "A workbook to import is an .xlsx file that can be read.",
        fix="Save it from Excel or LibreOffice as an Excel Workbook (.xlsx), then import it again.",
    ),
    Rule(
        "workbook-package",
        "A workbook to import names a package of the project (in its notes sheet, or with --package).",
        fix="Name the package with --package, or start again from a workbook made by `python -m generator workbook`.",
    ),
    Rule(
        "workbook-missing-sheet",
        "A workbook to import has a sheet for every table of its package, named as the table.",
        fix="Rename the sheet back to its table's name, or copy the sheet from a fresh workbook.",
    ),
    Rule(
        "workbook-extra-sheet",
        "A workbook to import has no sheet but its tables' and the notes sheet.",
        fix="Rename the sheet to its table's name, or delete it.",
    ),
    Rule(
        "workbook-header",
        "Row 1 of each sheet names the table's columns, in order, as the notes sheet lists them.",
        fix="Type the column's name back in row 1 exactly as the notes sheet lists it; delete a column that is not the table's.",
    ),
    Rule(
        "workbook-formula",
        "No cell of a workbook to import holds a formula or a spreadsheet error value (a division by zero, a broken reference): a table holds values.",
        fix="Type the value itself, or copy the cell and paste it back with Paste Special > Values only.",
    ),
    Rule(
        "workbook-out-of-date",
        "No table's file has changed since the workbook to import was made, so an import undoes no one's edit.",
        Severity.WARNING,
        fix="Make the edits again in a fresh workbook, or import with --accept-warnings to replace the newer file.",
    ),
    Rule(
        "workbook-merged-cell",
        "No cells of a workbook to import are merged: each cell of a table holds one value.",
        fix="Unmerge the cells and type each one's value.",
    ),
)

UNMAPPED_CODE = "table-problem"

FRICTIONLESS_CODES: dict[str, str] = {
    # the descriptor, as Frictionless checks it
    "package-error": "invalid-descriptor",
    "resource-error": "invalid-descriptor",
    "schema-error": "invalid-descriptor",
    "field-error": "invalid-descriptor",
    "dialect-error": "invalid-descriptor",
    "control-error": "invalid-descriptor",
    "metadata-error": "invalid-descriptor",
    # the file
    "source-error": "unreadable-table",
    "scheme-error": "unreadable-table",
    "compression-error": "unreadable-table",
    "format-error": "not-csv",
    "encoding-error": "encoding-error",
    "byte-count": "byte-count",
    "hash-count": "hash-count",
    # the header
    "missing-label": "missing-label",
    "extra-label": "extra-label",
    "duplicate-label": "duplicate-label",
    "blank-label": "blank-label",
    "blank-header": "blank-label",
    "incorrect-label": "incorrect-label",
    # rows and cells
    "blank-row": "blank-row",
    "missing-cell": "missing-cell",
    "extra-cell": "extra-cell",
    "type-error": "type-error",
    "constraint-error": "constraint-error",
    "unique-error": "unique-error",
    "primary-key": "primary-key",
    "foreign-key": "foreign-key",
}
"""Each Frictionless error type the validator can produce, and the code it is reported under."""

CODES = frozenset(rule.code for rule in RULES)
BY_CODE: dict[str, Rule] = {rule.code: rule for rule in RULES}


def rule_for(code: str) -> Rule:
    """The rule of a problem code; a code not listed gets the generic rule (a test keeps every
    reported code listed)."""
    return BY_CODE.get(code) or BY_CODE[UNMAPPED_CODE]


def code_for(frictionless_type: str) -> str:
    """The problem code of a Frictionless error type: mapped explicitly, never passed through."""
    code = FRICTIONLESS_CODES.get(frictionless_type)
    if code is None:
        log.debug("Frictionless error type %r has no code of its own: reported as %r", frictionless_type, UNMAPPED_CODE)
        return UNMAPPED_CODE
    return code
