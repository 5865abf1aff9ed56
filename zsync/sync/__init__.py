"""`zsync sync` and `zsync add`: plan each work against the library (pure) and apply the plan."""
