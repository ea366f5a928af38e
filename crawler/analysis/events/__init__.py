"""Event detection: the lexicon, the classifier, event dates and fields (casualties, entities)."""
