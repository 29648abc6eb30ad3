"""The parts of the autoplacer; ``fakestor.placement`` is the entry point."""
