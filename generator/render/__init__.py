"""Stage 4, render: pages of the plan → files, in a `RenderSession` of one build, with the
sandboxed templates, the files made without a template and the share-card drawing. See
`page.RenderSession`.

The package imports none of its modules: a process that converts Markdown for a build
(`build.markdown_ahead.main`) then starts without the templates' and cards' libraries."""
