//! GS1 barcode data: Application Identifiers, element strings, keys, EPC URIs, Digital Link.
//!
//! Pure: no I/O, no GUI, no threads.
