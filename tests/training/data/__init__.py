"""Tests of training/data (a package so their basenames, e.g. test_domain.py, do not clash with tests/guard)."""
