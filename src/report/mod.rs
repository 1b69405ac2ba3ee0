//! Printable documents for the batch record: a small paged PDF writer on the standard fonts
//! ([`pdf`]), the close-out report of a work order ([`closeout`]), the recall and trace reports
//! ([`recall`]). Pure: data in, bytes out;
//! the command line and the GUI write the file.

pub mod closeout;
pub mod pdf;
pub mod recall;
