"""``python -m credroi``: the same as the ``credroi`` command."""

from credroi.cli import main

main()
