//! GS1 EPCIS 2.0 event model, its JSON-LD / XML writers, EPCIS 1.2 XML, and CBV 2.0 event hash IDs.
//! Pure: no I/O, no GUI, no threads.
