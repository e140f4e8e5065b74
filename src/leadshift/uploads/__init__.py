"""Imports uploaded on the web: checked in the request, written by the task worker."""
