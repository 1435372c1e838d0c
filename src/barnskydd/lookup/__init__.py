"""The national lookup: has this child been reported elsewhere? (OPRF pseudonyms, no register)."""
