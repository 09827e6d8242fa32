"""Business operations: plain functions with keyword-only arguments. They add and flush, never commit."""
