"""What is kept on disk: the translation cache, the translation memory, and TMX,
their exchange format; both stores stand on one SQLite file class."""
