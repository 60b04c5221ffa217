"""Error types: every problem with an input names the file and what to do about it."""

from __future__ import annotations


class MscmineError(Exception):
    """Base class for every error mscmine raises on purpose."""

    def __init__(self, message: str, path: str | None = None):
        self.path = path
        self.message = message
        super().__init__(f"{path}: {message}" if path else message)


class InputError(MscmineError):
    """The input file cannot be read as a document."""


class FileMissingError(InputError):
    """The path does not exist or is not a file."""


class EmptyFileError(InputError):
    """The file has no bytes or no text."""


class BinaryFileError(InputError):
    """The file is binary (not text, PDF or HTML)."""


class EncodingError(InputError):
    """The bytes could not be decoded in any supported Chinese encoding."""


class UnsupportedFormatError(InputError):
    """The file type is not one mscmine reads."""


class FileTooLargeError(InputError):
    """The file is larger than the configured limit."""


class PdfError(InputError):
    """The PDF is damaged, encrypted or has no text layer."""


class HtmlError(InputError):
    """The HTML page has no main content."""


class LoadTimeoutError(InputError):
    """Loading took longer than the per-document time limit."""


class LexiconError(MscmineError):
    """A lexicon file is malformed (unknown code, duplicate form, bad line)."""


class AnnotationError(MscmineError):
    """A gold annotation file does not match its schema or its text."""


class EncryptedPdfError(PdfError):
    """The PDF needs a password to open."""


class TruncatedPdfError(PdfError):
    """The PDF ends before its end-of-file marker: the download or copy was cut short."""


class NoTextLayerError(PdfError):
    """The PDF has no usable text layer (scanned pages, or fonts without a Unicode map)."""
