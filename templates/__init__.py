"""Built-in brand templates (YAML) and their assets, shipped as postdeck.templates."""
