"""tap-warehouse: stream the dbt outbox models from the warehouse to the two targets."""
