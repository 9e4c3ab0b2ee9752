"""The failures the command line turns into exit codes and one-line messages."""


class ContractError(ValueError):
    """Data or a definitions file that does not have its documented shape; the message names it and what is wrong.

    Every parser's format error, the observation contract and the files under etl/definitions raise a subclass, so
    a refresh reports it as a format failure, an import as bad input, and the command line as one line with exit 2."""


class InputError(ContractError):
    """A user-supplied file that cannot be used; the message names the file and what is wrong (exit 2)."""


class SourceError(RuntimeError):
    """A live source that could not be fetched or did not answer in its documented format (exit 1)."""


def one_line(exc: BaseException) -> str:
    """An exception's message on a single line (a message quoting a file's lines must not break a report)."""
    return " ".join(str(exc).split()) or type(exc).__name__
