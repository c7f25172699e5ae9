"""What is kept on disk: the translation cache, the translation memory, the library of
translated documents and a shared reader's accounts, all on one SQLite file class
(:mod:`translate.store.sqlite`)."""
