"""One module per ``hoctap`` subcommand, each with ``register(subparsers)`` and ``run(args)``."""
