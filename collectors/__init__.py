"""Getting prices: one module per source (fetch + parse), fetch policy, sources, collect runs and the schedule."""
