"""Layer 2, pages: render the catalogue into Markdown pages, navigation and data files, and write them."""
