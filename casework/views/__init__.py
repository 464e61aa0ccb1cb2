"""Views for casework, one module per area: longlist (issue 3), assessment (issue 6)."""
