"""The trajectory bundle (docs/bundle.md): write, read strictly, migrate old versions."""

from replay.bundle.errors import BundleError
from replay.bundle.reader import Bundle, open_bundle
from replay.bundle.schema import FORMAT_VERSION
from replay.bundle.writer import write_bundle

__all__ = ["FORMAT_VERSION", "Bundle", "BundleError", "open_bundle", "write_bundle"]
