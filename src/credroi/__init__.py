"""credroi: the return on a tech certification or micro-credential, in numbers."""

__version__ = "0.1.0"
