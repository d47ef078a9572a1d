"""The home page with the to-do list (`views/`, `todo.py`: what waits for a user, from every area)."""
