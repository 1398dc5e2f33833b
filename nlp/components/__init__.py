"""spaCy components of Vigie, one module per concern, each a registered factory."""
