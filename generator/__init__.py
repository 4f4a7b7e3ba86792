"""Case explainer: a static-site generator for legal and policy cases."""

__version__ = "0.1.0"
