"""Storage only: schema, migrations, connections, loading records into observations and intervals, queries, checks."""
