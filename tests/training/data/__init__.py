"""Tests of training/data (a package, so basenames like test_domain.py do not clash)."""
