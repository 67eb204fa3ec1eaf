"""The API's operations, one module per resource.

These modules leave out `from __future__ import annotations`: django-ninja reads each
operation's signature through the `api_access` decorator, and needs real annotations.
"""
