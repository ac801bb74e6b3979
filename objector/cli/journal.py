"""Journal commands (being written)."""
