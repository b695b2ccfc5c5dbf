"""Identity: passwords, one-time codes, tokens, two-factor sign-in, and who the caller is."""
