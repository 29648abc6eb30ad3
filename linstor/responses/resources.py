"""Replies of this area."""

__all__ = []
