"""Delivery of alert events: email, webhooks, and the log that keeps anything from being sent twice."""
