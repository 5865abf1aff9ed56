"""The record model every stage shares: records, identifiers, names, dates, text. Pure."""
