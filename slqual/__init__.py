"""slqual: thematic analysis of interview studies from the terminal.

The package is a library first: every command of the ``slqual`` CLI is a thin
wrapper over functions a notebook user can call directly.
"""

__version__ = "0.1.0"
