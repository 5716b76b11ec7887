"""Model: frozen dataclasses built from valid packages, public addresses, and what is computed
from them (change, status, sentences). No I/O. May import ``problems``."""
