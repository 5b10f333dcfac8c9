"""The exceptions slqual raises for problems a researcher can fix.

Every message names the file, the line or row where known, and what to do.
The CLI shows the message as one red line and exits with status 2; anything
else that escapes is a bug (exit status 3).
"""

from __future__ import annotations

# The CLI's exit statuses: success; a check ran and found problems; the command could not run;
# an internal error (a bug).
EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3


class SlqualError(Exception):
    """A problem with the user's input or project that they can act on."""

    exit_code = EXIT_USAGE


class ProjectError(SlqualError):
    """No project, or a project folder in a state slqual cannot use."""


class TranscriptError(SlqualError):
    """A transcript that cannot be read."""


class CodebookError(SlqualError):
    """A codebook that cannot be loaded or fails its checks."""


class CodingsError(SlqualError):
    """A coder's file or a coding sheet that cannot be used."""


class AgreementError(SlqualError):
    """Inputs that agreement cannot be computed on."""


class ReportError(SlqualError):
    """A report that cannot be built from the given inputs."""


class SuggestError(SlqualError):
    """A model or search index that cannot be trained, trusted or applied."""
