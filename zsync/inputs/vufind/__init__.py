"""VuFind catalogue records copied as text: display pages, raw Solr fields and MARC staff views."""
