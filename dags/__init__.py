"""Airflow DAGs, thin (issue: Airflow orchestration). Not built yet."""
