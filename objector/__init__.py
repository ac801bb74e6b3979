"""objector: exercise your data-protection rights and keep the proof."""

__version__ = "0.1.0"
