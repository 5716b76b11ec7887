"""Problems: the registry of rules (code, severity, message, fix), ``Problem`` records, their
formatters and the one exception hierarchy. Imports nothing of ours."""
