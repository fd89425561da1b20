"""One module per brief section, each with ``build(store, iso3, **options) -> Section``."""
