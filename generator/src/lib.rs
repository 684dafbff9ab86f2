//! fixbook: turns structured Markdown and YAML into a troubleshooting site.
