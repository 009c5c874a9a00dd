"""The ROI model: pure functions over plain values (standard library only, no I/O)."""
