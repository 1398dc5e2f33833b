"""Training scripts of the Vigie NLP models (run as ``python -m vigie.nlp.train.<model>``)."""
