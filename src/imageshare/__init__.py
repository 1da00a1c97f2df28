"""imageshare: Alibaba Cloud custom-image sharing APIs, wire-compatible with the official SDKs."""

__version__ = "0.1.0"
