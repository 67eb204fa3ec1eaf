"""Bench-only Django settings and URLs: never installed, never imported by the app.

The harness puts `bench/` on PYTHONPATH and sets DJANGO_SETTINGS_MODULE=benchsite.settings;
a normal deployment has neither, so /bench/hello/ does not exist there
(src/backsoon/tests/test_bench_only.py checks it).
"""
