"""spaCy French pipeline and its components (issue: French NLP). Not built yet."""
