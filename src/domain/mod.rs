//! The aggregation domain: units, levels, packaging specs, work orders and the rules a scan
//! must pass. Pure: no I/O, no clock (a clock is passed in).
