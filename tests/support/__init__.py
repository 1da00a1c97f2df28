"""Test support: a real server on a free port, databases, SDK clients."""
