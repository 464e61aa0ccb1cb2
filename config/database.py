"""Database connection helpers shared by the workers' tasks."""

from django.db import connections


def database_reconnect() -> None:
    """Close the connections the database has dropped (a restart, a fail-over, an operator ending
    them), so the next query opens a fresh one instead of failing on the dead one. A connection
    inside a transaction is left alone (its transaction's owner decides)."""
    for conn in connections.all(initialized_only=True):
        if conn.connection is not None and not conn.in_atomic_block and not conn.is_usable():
            conn.close()
