//! The station service: executes commands against the store atomically and returns verdicts.
