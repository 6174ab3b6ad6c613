"""Scheduling without storage: the pure FSRS-6 step (a state, the time and the settings in;
all four next states out), scheduler and daily-study settings, study days, learning steps as
people type them, and what a desired retention costs.

May import: ``core.util``.
"""
