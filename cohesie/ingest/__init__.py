"""Readers for Statbel files and point files; validation collects every problem at once."""
