"""Domain errors. Messages are user-facing (Indonesian); views show them as they are."""


class EngineError(Exception):
    """Base of every error a verb raises on purpose."""

    def __init__(self, message: str, **details):
        super().__init__(message)
        self.message = message
        self.details = details


class NotFound(EngineError):
    pass


class PermissionDenied(EngineError):
    pass


class Conflict(EngineError):
    """The object changed under the caller (another officer acted first)."""


class ValidationFailed(EngineError):
    """Form data did not pass; ``errors`` maps field name to message."""

    def __init__(self, message: str, errors: dict[str, str]):
        super().__init__(message, errors=errors)
        self.errors = errors


class ProcessDefinitionError(EngineError):
    """A BPMN/DMN/form bundle cannot be used; ``findings`` lists (element id, message)."""

    def __init__(self, message: str, findings: list[tuple[str, str]]):
        super().__init__(message, findings=findings)
        self.findings = findings

    def __str__(self):
        lines = [self.message] + [f"- {eid}: {msg}" for eid, msg in self.findings]
        return "\n".join(lines)


class ScriptRefused(EngineError):
    """Script, condition or expression refused by the sandbox."""


class SigningRefused(EngineError):
    """A signature could not be made (wrong passphrase, no certificate, revoked, provider error).

    Nothing is signed; the caller rolls back and records the attempt with ``record_refused_signing``.
    """

    def __init__(self, message: str, reason: str = "refused", **details):
        super().__init__(message, reason=reason, **details)
        self.reason = reason
