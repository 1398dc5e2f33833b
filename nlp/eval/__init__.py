"""Reproducible evaluations of the Vigie NLP components (run as ``python -m vigie.nlp.eval.<name>``)."""
