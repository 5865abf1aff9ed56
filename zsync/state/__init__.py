"""zsync's local state: a SQLite cache of the library mirror, runs and journal, rebuilt
from the library when lost."""
