"""Asking: ``/ask``, the message menu, mentions, DMs and follow-ups; the buttons under an
answer and the "did you mean" buttons."""
