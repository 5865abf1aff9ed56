"""PubMed: E-utilities and PMC's ID converter, and PubMed XML mapped to records."""
