"""Outputs: downloads, workbooks, zips, catalogues and feeds, as bytes in memory. Never writes.
May import ``checks`` (the raw CSV dialect) and everything below it."""
