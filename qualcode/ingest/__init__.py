"""Transcript readers (one module per format) and the importer that stores them."""
