"""Allow ``python -m tumen``."""

from tumen.cli import main

main()
