"""Render: pure functions and templates that return text: Markdown pages, HTML fragments, SVG
charts. Never writes. May import ``outputs`` (catalogue facts shown on pages) and the stages
below ``checks`` (``model``, ``problems``)."""
