"""Checks: raw bytes, descriptor shape, the Frictionless report, profile schemas and domain rules,
as ``Problem`` records; never raises for bad data. May import ``inputs``, ``config``, ``model``
and ``problems``; never the stages above (what it needs from them is passed in)."""
