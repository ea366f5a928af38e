"""Event detection: relevance, the event classifier, its fields and dates (no Scrapy)."""
