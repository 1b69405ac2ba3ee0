//! Repository test doubles on 127.0.0.1: an EPCIS 2.0 capture server that follows the openapi
//! contract and validates every document against the official JSON schema, and a
//! fault-injecting proxy; both speak just enough HTTP/1.1 (`http1`).

pub mod http1;
pub mod proxy;
pub mod server;
