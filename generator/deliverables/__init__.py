"""Layer 4, deliverables: the public site, the offline bundle, PR previews and the live preview."""
