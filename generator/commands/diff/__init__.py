"""`explainer diff`: what a change of the content changes, item by item and page by page,
with the problems it brings in (`review`), as text, Markdown or JSON (`report`)."""
