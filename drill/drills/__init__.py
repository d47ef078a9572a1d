"""Timed practice drills: papers, server-held deadlines, autosave, results, the wrong-answer notebook."""
