"""Documents: PDF rendering, the agency's development PKI, PAdES signing and validation (pyHanko)."""
