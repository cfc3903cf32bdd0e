"""Learning critical reading: the glossary (jargon buster) and practice vignettes with model answers."""
