"""Reproducible evaluations of the Vigie NLP components (run as ``python -m nlp.eval.<name>``)."""
