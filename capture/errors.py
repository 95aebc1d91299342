"""Errors a user can cause. The CLI prints each as one line and exits non-zero."""


class DemotraceError(Exception):
    """Base of every error that is the user's to fix, with a one-line message."""

    exit_code = 2


class DisplayError(DemotraceError):
    """No display, or one demotrace cannot record (Wayland without X access)."""


class StoreError(DemotraceError):
    """The database or frame store cannot be opened, read or written."""


class SchemaTooNewError(StoreError):
    """The database was written by a newer demotrace."""


class SchemaOutdatedError(StoreError):
    """A store opened for reading only needs an upgrade first."""


class NoStoreError(StoreError):
    """A command that only reads was pointed at a place with no store."""


class SessionNotFoundError(DemotraceError):
    pass


class SessionBusyError(DemotraceError):
    """Another recorder holds the session."""


class DiskFullError(StoreError):
    """The disk filled up while recording; what was committed before stays readable."""

    exit_code = 3
