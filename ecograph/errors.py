"""EcographError and its subclasses. Each carries a hint, an HTTP status and a CLI exit code,
so that the HTTP and CLI layers never guess."""

from __future__ import annotations


class EcographError(Exception):
    """Base of every error a user may see."""

    status = 500
    exit_code = 2
    hint = ""

    def __init__(self, message: str, hint: str | None = None):
        super().__init__(message)
        self.message = message
        if hint is not None:
            self.hint = hint

    def to_dict(self) -> dict:
        """The one JSON shape of every error."""
        return {"ok": False, "status": self.status, "error": self.message, "hint": self.hint}

    def __str__(self) -> str:
        return self.message + (f"\nhint: {self.hint}" if self.hint else "")


class UsageError(EcographError):
    """The user asked for something that does not exist or is malformed."""

    status = 400
    exit_code = 2


class DataSyntaxError(EcographError):
    """An RDF file does not parse. Names the file, line and column."""

    status = 400
    exit_code = 2

    def __init__(self, path: str, line: int | None, column: int | None, reason: str, hint: str | None = None):
        where = path + (f", line {line}" if line else "") + (f", column {column}" if column else "")
        super().__init__(f"{where}: {reason}", hint)
        self.path, self.line, self.column, self.reason = path, line, column, reason


class NotBuiltError(EcographError):
    """dist/ has no build yet."""

    status = 503
    exit_code = 2
    hint = "Run `ecograph build` first."


class NotConformingError(EcographError):
    """The data does not conform to the shapes: nothing is published."""

    status = 422
    exit_code = 1
    hint = "Fix the violations listed in the report, then build again."

    def __init__(self, message: str, report=None):
        super().__init__(message)
        self.report = report


class QueryError(EcographError):
    """A SPARQL query is malformed or failed."""

    status = 400
    exit_code = 2


class QuerySyntaxError(QueryError):
    """A query that does not parse. Names the line and column (1-based, in characters) when known, in the
    message and, for programs and the query UI, in the JSON error as "line" and "column"."""

    def __init__(self, message: str, hint: str | None = None, line: int | None = None, column: int | None = None):
        super().__init__(message, hint)
        self.line, self.column = line, column

    def to_dict(self) -> dict:
        out = super().to_dict()
        if self.line is not None:
            out.update(line=self.line, column=self.column)
        return out


class BuildError(EcographError):
    """The build could not finish; the last good dist/ is kept."""

    status = 500
    exit_code = 2
    hint = "The last good build in dist/ was kept."
