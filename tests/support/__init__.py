"""Test support: a throwaway PostgreSQL cluster, database reset, factories."""
