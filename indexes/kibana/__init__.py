"""Kibana saved objects for each watch: build, check against the mapping, export, import."""
