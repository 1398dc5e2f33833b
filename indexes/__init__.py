"""Elasticsearch: mapping, analysis, templates and aliases, bulk writer, queries, local node."""
