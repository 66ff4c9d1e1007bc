"""Layer 1, content: load the YAML and Markdown, validate it into a catalogue, lint it."""
