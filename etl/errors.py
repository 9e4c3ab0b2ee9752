"""The failures the command line turns into exit codes and one-line messages."""


class InputError(ValueError):
    """A user-supplied file that cannot be used; the message names the file and what is wrong (exit 2)."""


class SourceError(RuntimeError):
    """A live source that could not be fetched or did not answer in its documented format."""
