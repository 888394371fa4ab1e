"""One sync at a time, and the Postgres warehouse's connection defaults (production path)."""
