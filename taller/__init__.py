"""taller: builds print-ready rights-training materials from plain content files."""

__version__ = "0.2.0"
