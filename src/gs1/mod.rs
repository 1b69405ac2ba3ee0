//! GS1 barcode data: Application Identifiers, element strings, keys, EPC URIs, Digital Link.
//!
//! Pure: no I/O, no GUI, no threads. [`parse()`] turns whatever a scanner, a camera or a
//! person produced into a validated [`Gs1Message`], exactly as the GS1 General
//! Specifications and the GS1 Barcode Syntax Dictionary define it:
//!
//! - raw element strings with GS (ASCII 29) separators, with or without an AIM symbology
//!   identifier (`]d2`, `]C1`, `]Q3`, `]e0`, ...), with configurable GS substitutes;
//! - the bracketed human-readable form `(01)...(21)...`;
//! - GS1 Digital Link URIs on any domain.
//!
//! ```
//! use packbench::gs1::{parse, ParseOptions, Symbology};
//!
//! let scan = "]d201095060001343521727123110LOT42\u{1d}21SN0001";
//! let msg = parse(scan, &ParseOptions::default()).unwrap();
//! assert_eq!(msg.symbology, Some(Symbology::Gs1DataMatrix));
//! assert_eq!(msg.hri(), "(01)09506000134352(17)271231(10)LOT42(21)SN0001");
//! assert_eq!(msg.raw(), "01095060001343521727123110LOT42\u{1d}21SN0001");
//! assert_eq!(msg.gtin().unwrap().as_str(), "09506000134352");
//! assert_eq!(msg.expiry().unwrap().last_valid_date(), (2027, 12, 31));
//! assert_eq!(
//!     msg.sgtin().unwrap().epc_uri(7).unwrap(),
//!     "urn:epc:id:sgtin:9506000.013435.SN0001"
//! );
//! assert_eq!(
//!     msg.digital_link("https://id.gs1.org").unwrap(),
//!     "https://id.gs1.org/01/09506000134352/10/LOT42/21/SN0001?17=271231"
//! );
//!
//! // The same data as bracketed text or as a Digital Link gives the same elements.
//! let bracketed = parse("(01)09506000134352(17)271231(10)LOT42(21)SN0001", &ParseOptions::default()).unwrap();
//! assert_eq!(bracketed.elements, msg.elements);
//!
//! // Errors are typed and say what is wrong and where.
//! let err = parse("(01)09506000134353", &ParseOptions::default()).unwrap_err();
//! assert_eq!(err.code(), "CHECK_DIGIT");
//! assert_eq!(err.to_string(), "AI (01): check digit at position 13 should be '2', found '3'");
//! ```

pub mod ai;
pub mod ai_table;
mod bracketed;
pub mod check_digit;
pub mod codes;
mod coupon;
pub mod digital_link;
pub mod epc_uri;
pub mod error;
pub mod keys;
pub mod linters;
pub mod message;
pub mod parse;
mod raw;
pub mod scanner;
pub mod symbology;
pub mod validate;

pub use epc_uri::EpcUri;
pub use error::Gs1Error;
pub use keys::{Expiry, Gln, Gtin, Lot, SerialNumber, Sgtin, Sscc, UnitKey};
pub use message::{Element, GS, Gs1Message, Gs1Warning, InputForm};
pub use parse::{ParseOptions, Symbology, parse};
