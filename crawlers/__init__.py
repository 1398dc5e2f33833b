"""Scrapy crawlers, one spider per source kind (issue: crawlers). Not built yet."""
