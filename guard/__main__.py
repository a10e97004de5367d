"""``python -m guard`` runs the CLI."""

from guard.cli import main

if __name__ == "__main__":
    main()
