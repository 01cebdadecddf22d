"""Crawler stage: Scrapy project with one generic market spider driven by config/markets/*.yaml."""
