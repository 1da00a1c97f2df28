"""The products' actions: one module per product, each an explicit list of registry entries."""
