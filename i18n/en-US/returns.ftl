# returns — en-US: the returns desk (saleable-returns verification) and the recall / trace screen

nav-returns = Returns
nav-recall = Recall & trace
cmd-returns-mode = Returns mode

returns-title = Returns desk
returns-hint = Scan a returned pack (or a returned case): the manufacturer's verification service confirms it may be resold.
returns-entry = Returned pack or case
returns-verify = Verify
returns-case-summary = { $packs } packs checked, { $verified } verified.
returns-waiting = Waiting for the verification service: { $count }
returns-retry = Retry now
returns-refresh = Refresh
returns-save-csv = Save returns file (CSV)…
returns-recent = Recent checks

vrs-failure-no-match-gtin-serial = The manufacturer has no pack with this product code and serial number.
vrs-failure-no-match-gtin-serial-lot = The batch does not match the manufacturer's record.
vrs-failure-no-match-gtin-serial-expiry = The expiry date does not match the manufacturer's record.
vrs-failure-no-match-gtin-serial-lot-expiry = The batch and expiry date do not match the manufacturer's record.
vrs-failure-gtin-not-found = No verification service knows this product code.
vrs-failure-gtin-not-registered = This product code is not registered with the verification router.
vrs-failure-no-reason-provided = The verification service gave no reason.
vrs-failure-other = The verification service answered: { $code }

recall-title = Recall and trace
recall-gtin = GTIN
recall-lot = Batch / lot
recall-find = Find the lot
recall-unit = Pack, case or pallet
recall-of-unit = Recall its lot
trace-unit = Trace it
trace-heading = Trace of { $unit }
trace-inside = Inside: { $path }
trace-save-pdf = Save trace (PDF)…
recall-summary = Lot { $lot } of { $gtin }: { $total } units, { $stock } in stock, { $held } on hold, { $shipped } shipped, { $retired } retired
recall-lot-held = Whole lot on hold
recall-pull = Containers to pull: { $count }
recall-hold-lot = Hold the whole lot…
recall-save-csv = Save CSV…
recall-save-pdf = Save PDF…
recall-col-container = Top container
recall-col-units = Units
recall-col-status = Status
recall-col-last = Last known event
recall-loose = In no container
recall-in-stock = in stock
recall-on-hold = on hold
recall-shipped = shipped
recall-retired = retired
