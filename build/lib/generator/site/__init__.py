"""Site: the only writer: staging, MkDocs, the atomic swap of ``site/``, and the fingerprint of
what a build depends on. May import every stage below it; never ``pipeline`` or ``cli``."""
