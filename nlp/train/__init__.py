"""Training scripts of the Vigie NLP models (run as ``python -m nlp.train.<model>``)."""
