"""Team work: merging codebooks and coders' projects."""
