"""Scrapy crawlers, one spider per source kind.

ENGINEERS BUILDING THIS PACKAGE NOW: read crawlers/WORKING_RULES.md first (the issue text and the
working rules your brief referred to as ISSUE3_TEXT and COMMON_RULES). Remove this paragraph when done.
"""
