"""Word documents from editable templates: reports, letters, certificate; PDF via LibreOffice."""
