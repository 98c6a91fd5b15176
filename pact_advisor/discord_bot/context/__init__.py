"""The partnership context of a channel or thread: ``/context set|show|clear``."""
