"""Text: Arabic script facts, sentence segmentation, cutting over-long sentences,
and the document (blocks of sentence pairs) that every reader and writer shares."""
