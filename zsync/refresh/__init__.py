"""`zsync refresh`: bring the items already in the library up to date from the metadata sources."""
