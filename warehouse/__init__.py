"""Storage only: the DuckDB schema and migrations, connections, loading typed records into observations and price intervals, named queries, publishing, checks and Parquet export."""
