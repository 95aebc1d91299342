from capture.errors import DemotraceError


class BundleError(DemotraceError):
    """A bundle that cannot be read or written; the message names the bundle and the problem."""
