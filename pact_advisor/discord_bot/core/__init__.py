"""What every feature shares: the message adapter, error replies (the command tree and
``SafeDynamicItem``), the services the bot serves from, and autocomplete."""
