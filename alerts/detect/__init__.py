"""Detectors: each turns the documents of closed time slices into alert candidates."""
