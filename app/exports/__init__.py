"""Downloads of invitation lists (CSV, XLSX), the printable call sheet, and the export log."""
