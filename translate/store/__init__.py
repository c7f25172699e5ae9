"""What is kept on disk: the translation cache and the translation memory, both on
one SQLite file class (:mod:`translate.store.sqlite`)."""
