"""Bundled open-licensed fonts (see README.md here); located via importlib.resources."""
