"""Static open-data site generator: Frictionless datapackages in, an MkDocs Material site out."""

__version__ = "0.1.0"
