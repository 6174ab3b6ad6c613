"""CSV and TSV files: Anki's text format and plain two-column tables, in and out."""
