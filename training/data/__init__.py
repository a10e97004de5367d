"""Training data for the guard token classifier: synthetic generator, domain packs, loaders."""
