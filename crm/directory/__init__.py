"""The shared service directory (data·inclusion schema): who offers what, where, for whom."""
