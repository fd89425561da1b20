"""The brief: sections built from the store, rendered to the terminal, HTML and PDF.

This package does I/O (it reads the store); analytics stay in the topic packages.
"""
