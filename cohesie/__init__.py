"""Cohesiekaart: statistical sectors, wijken and social-cohesion layers of one municipality."""

__version__ = "0.1.0"
