"""Near-duplicate detection: MinHash signatures of word shingles and a compact LSH index."""
