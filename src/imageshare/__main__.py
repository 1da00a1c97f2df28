"""``python -m imageshare``."""

from imageshare.cli import main

main()
