"""Getting prices: one module per source (fetch + parse), the fetch policy, the sources' settings, the collect run and the APScheduler schedule."""
