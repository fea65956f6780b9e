#!/usr/bin/env python3
"""Entry point: `python build.py [build|check] [options]`; see `python build.py --help`."""

import sys

from taller.cli import main

if __name__ == "__main__":
    sys.exit(main())
