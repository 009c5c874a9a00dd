"""The ``credroi`` command line: thin Typer commands around the catalog, the model and the renderers."""

from credroi.cli.app import main

__all__ = ["main"]
