"""raqib — who claims what, about whom, where and when, in Arabic news."""
__version__ = "0.1.0"
