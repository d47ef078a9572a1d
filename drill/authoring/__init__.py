"""Pack authoring in the browser: upload, edit, check, preview and publish content packs."""
