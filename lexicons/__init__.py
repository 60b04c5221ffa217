"""Hand-written lexicons (TSV data, no code): surface forms mapped to vocabulary codes.

Loaded through :mod:`mscmine.lexicon`; see ``README.md`` in this folder for the format.
"""
