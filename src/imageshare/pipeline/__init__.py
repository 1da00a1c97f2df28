"""The request pipeline: raw request in, wire response out; every step a named function."""
