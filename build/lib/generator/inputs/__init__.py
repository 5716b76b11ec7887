"""Inputs: finding packages, reading descriptors (JSON or YAML), tables and earlier releases,
safely. Reads only; judging is ``checks``'. May import ``problems`` only."""
