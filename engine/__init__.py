"""Domain services of the permit system. Knows nothing of Flask; the only importer of SpiffWorkflow."""
