"""LibreOffice: DOCX → PDF/A conversion."""
