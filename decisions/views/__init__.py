"""Decision and advice pages, one module per part of the site: reading, writing, discussion, reports."""
