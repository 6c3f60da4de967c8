"""Accounts and sign-in: registration, passwords, tokens, lockout. No GraphQL in here."""
