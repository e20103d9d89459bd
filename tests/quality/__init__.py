"""Helpers of tests/test_site_quality.py: an independent link crawl (LinkChecker)."""
